import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { AwsServiceError } from '../core/errors';
import type { ObjectStore, RequestContext, SandboxLogger } from '../core/types';
import { analyseTemplate, requiredCapability } from './analysis';
import { evaluate, intrinsicName } from './intrinsics';
import { type GivenParameter, resolveParameters } from './parameters';
import type { ResourceProviders } from './providers/types';
import {
  isInProgress,
  type StackEvent,
  type StackRecord,
  UPDATABLE_STATES,
} from './records';
import { stackScope } from './scope';
import { checkStackName, onFailureOf, readTemplateBody } from './requestChecks';
import { type StackSnapshot, StackRunner } from './StackRunner';
import { StackRecorder, type StackNotifier } from './StackRecorder';
import { StackEventLog, StackStore } from './StackStore';
import { parseTemplate, type Template } from './template';

/** Input of CreateStack and UpdateStack, in the API's terms. */
export interface StackRequest {
  stackName: string;
  templateBody?: string;
  templateUrl?: string;
  usePreviousTemplate?: boolean;
  parameters: GivenParameter[];
  capabilities: string[];
  tags?: { Key: string; Value: string }[];
  notificationArns?: string[];
  onFailure?: string;
  disableRollback?: boolean;
}

/** Options of {@link CloudFormationService}. */
export interface CloudFormationServiceOptions {
  dataDir: string;
  providers: ResourceProviders;
  /** The S3 store that TemplateURL objects are read from. */
  objects: ObjectStore;
  /** Reads the value of an `AWS::SSM::Parameter::Value<...>` parameter. */
  readSsmParameter: (name: string, context: RequestContext) => string;
  /** Publishes a stack event to a topic of the stack's NotificationARNs. */
  notify?: StackNotifier;
  logger: SandboxLogger;
}

const RESTART_REASON =
  'The sandbox stopped while this operation was in progress';

/** The status a stack gets when a stopped sandbox left it in progress. */
const INTERRUPTED: Record<string, string> = {
  CREATE_IN_PROGRESS: 'CREATE_FAILED',
  ROLLBACK_IN_PROGRESS: 'ROLLBACK_FAILED',
  DELETE_IN_PROGRESS: 'DELETE_FAILED',
  UPDATE_IN_PROGRESS: 'UPDATE_FAILED',
  UPDATE_COMPLETE_CLEANUP_IN_PROGRESS: 'UPDATE_COMPLETE',
  UPDATE_ROLLBACK_IN_PROGRESS: 'UPDATE_ROLLBACK_FAILED',
  UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS: 'UPDATE_ROLLBACK_COMPLETE',
};

function validationError(message: string): AwsServiceError {
  return new AwsServiceError('ValidationError', message);
}

/**
 * AWS CloudFormation: stacks kept in `<dataDir>/cloudformation/`. The
 * template, parameters, capabilities and names are checked before a request
 * is accepted. The deployment then runs in the background, as on AWS, so
 * clients poll DescribeStacks or DescribeStackEvents.
 */
export class CloudFormationService {
  private readonly stacks: StackStore;
  private readonly events: StackEventLog;
  private readonly runner: StackRunner;
  private readonly running = new Set<Promise<void>>();

  private readonly providers: ResourceProviders;
  private readonly objects: ObjectStore;
  private readonly readSsmParameter: CloudFormationServiceOptions['readSsmParameter'];
  private readonly logger: SandboxLogger;

  constructor(options: CloudFormationServiceOptions) {
    this.providers = options.providers;
    this.objects = options.objects;
    this.readSsmParameter = options.readSsmParameter;
    this.logger = options.logger;
    const folder = path.join(options.dataDir, 'cloudformation');
    this.stacks = new StackStore(folder);
    this.events = new StackEventLog(folder);
    this.runner = new StackRunner(
      this.stacks,
      new StackRecorder(
        this.stacks,
        this.events,
        options.logger,
        options.notify,
      ),
      options.providers,
      name => this.readExport(name),
    );
  }

  /** Marks operations cut short by a stop as failed, with a reason. */
  recover(): void {
    for (const stack of this.stacks.values()) {
      const next = INTERRUPTED[stack.status];
      if (!next) continue;
      for (const resource of Object.values(stack.resources)) {
        if (isInProgress(resource.status)) {
          resource.status = resource.status.replace('_IN_PROGRESS', '_FAILED');
          resource.statusReason = RESTART_REASON;
        }
      }
      this.logger.warn(
        `Stack ${stack.stackName} was ${stack.status} when the sandbox stopped; it is now ${next}`,
      );
      this.runner.setStackStatus(
        stack,
        next,
        `${RESTART_REASON}. Delete the stack, or update it if the status allows.`,
      );
    }
  }

  /** Waits for the operations in progress to finish. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  async createStack(
    request: StackRequest,
    context: RequestContext,
  ): Promise<string> {
    checkStackName(request.stackName);
    const existing = this.findLive(request.stackName);
    if (existing) {
      throw new AwsServiceError(
        'AlreadyExistsException',
        `Stack [${request.stackName}] already exists (status ${existing.status}). Update it, or delete it first.`,
      );
    }
    const templateBody = await readTemplateBody(request, this.objects);
    const stack: StackRecord = {
      stackId: `arn:aws:cloudformation:${context.region}:${
        context.accountId
      }:stack/${request.stackName}/${randomUUID()}`,
      stackName: request.stackName,
      accountId: context.accountId,
      region: context.region,
      status: 'CREATE_IN_PROGRESS',
      templateBody,
      parameters: [],
      capabilities: request.capabilities,
      tags: request.tags ?? [],
      notificationArns: request.notificationArns ?? [],
      disableRollback: request.disableRollback ?? false,
      onFailure: onFailureOf(request),
      creationTime: Date.now(),
      outputs: [],
      imports: [],
      resources: {},
    };
    const template = this.prepare(stack, templateBody, request, [], context);

    this.stacks.set(stack.stackId, stack);
    this.logger.info(`Creating stack ${stack.stackId}`);
    this.track(() => this.runner.create(stack, template));
    return stack.stackId;
  }

  async updateStack(
    request: StackRequest,
    context: RequestContext,
  ): Promise<string> {
    const stack = this.requireStack(request.stackName);
    if (!UPDATABLE_STATES.includes(stack.status)) {
      throw validationError(
        `Stack:${stack.stackId} is in ${
          stack.status
        } state and can not be updated.${
          stack.status === 'ROLLBACK_COMPLETE'
            ? ' A stack whose creation rolled back can only be deleted; delete it and create it again.'
            : ''
        }`,
      );
    }
    if (
      request.usePreviousTemplate &&
      (request.templateBody || request.templateUrl)
    ) {
      throw validationError(
        'UsePreviousTemplate cannot be combined with TemplateBody or TemplateURL; give one of them.',
      );
    }
    const templateBody = request.usePreviousTemplate
      ? stack.templateBody
      : await readTemplateBody(request, this.objects);
    const previousTemplate = parseTemplate(stack.templateBody);
    const snapshot: StackSnapshot = {
      templateBody: stack.templateBody,
      parameters: stack.parameters,
      tags: stack.tags,
      outputs: stack.outputs,
      imports: stack.imports,
      description: stack.description,
    };

    const candidate: StackRecord = structuredClone(stack);
    candidate.capabilities = request.capabilities;
    candidate.tags = request.tags ?? stack.tags;
    const template = this.prepare(
      candidate,
      templateBody,
      request,
      stack.parameters,
      context,
    );
    if (
      isDeepStrictEqual(template, previousTemplate) &&
      isDeepStrictEqual(candidate.parameters, stack.parameters) &&
      isDeepStrictEqual(candidate.tags, stack.tags)
    ) {
      throw validationError('No updates are to be performed.');
    }

    Object.assign(stack, {
      templateBody,
      parameters: candidate.parameters,
      description: candidate.description,
      capabilities: candidate.capabilities,
      tags: candidate.tags,
      lastUpdatedTime: Date.now(),
      status: 'UPDATE_IN_PROGRESS',
    });
    this.stacks.set(stack.stackId, stack);
    this.logger.info(`Updating stack ${stack.stackId}`);
    this.track(() =>
      this.runner.update(stack, template, previousTemplate, snapshot),
    );
    return stack.stackId;
  }

  deleteStack(stackName: string): void {
    const stack = this.findStack(stackName);
    if (!stack || stack.status === 'DELETE_COMPLETE') {
      return;
    }
    if (isInProgress(stack.status)) {
      throw validationError(
        `Stack ${stack.stackName} is in ${stack.status} state; wait for the operation to finish, then delete it.`,
      );
    }
    const exports = stack.outputs
      .map(o => o.ExportName)
      .filter(Boolean) as string[];
    for (const other of this.liveStacks()) {
      const used =
        other.stackId !== stack.stackId &&
        other.imports.find(name => exports.includes(name));
      if (used) {
        throw validationError(
          `Export ${used} cannot be deleted as it is in use by ${other.stackName}. Delete ${other.stackName} first.`,
        );
      }
    }
    stack.status = 'DELETE_IN_PROGRESS';
    this.stacks.set(stack.stackId, stack);
    this.logger.info(`Deleting stack ${stack.stackId}`);
    this.track(() => this.runner.delete(stack));
  }

  /** Stacks by name or id; all live stacks when no name is given. */
  describeStacks(stackName?: string): StackRecord[] {
    if (stackName) {
      return [this.requireStack(stackName, true)];
    }
    return this.liveStacks();
  }

  listStacks(statuses: string[]): StackRecord[] {
    return this.stacks
      .values()
      .filter(s => statuses.length === 0 || statuses.includes(s.status))
      .sort((a, b) => b.creationTime - a.creationTime);
  }

  /** Events of a stack, newest first. */
  describeStackEvents(stackName: string): StackEvent[] {
    const stack = this.requireStack(stackName, true);
    return [...this.events.list(stack.stackId)].reverse();
  }

  requireStack(stackName: string, includeDeleted = false): StackRecord {
    const stack = this.findStack(stackName);
    if (!stack || (!includeDeleted && stack.status === 'DELETE_COMPLETE')) {
      throw validationError(`Stack with id ${stackName} does not exist`);
    }
    return stack;
  }

  /** The parameters, description and capabilities a template declares. */
  async validateTemplate(request: {
    templateBody?: string;
    templateUrl?: string;
  }): Promise<{ template: Template; capability?: string }> {
    const template = parseTemplate(
      await readTemplateBody(request, this.objects),
    );
    analyseTemplate(template, this.providers);
    return { template, capability: requiredCapability(template) };
  }

  listExports(): { ExportingStackId: string; Name: string; Value: string }[] {
    return this.liveStacks().flatMap(stack =>
      stack.outputs
        .filter(o => o.ExportName)
        .map(o => ({
          ExportingStackId: stack.stackId,
          Name: o.ExportName!,
          Value: o.OutputValue,
        })),
    );
  }

  private readExport(name: string): string {
    const found = this.listExports().find(e => e.Name === name);
    if (!found) {
      throw validationError(
        `No export named ${name} found. Deploy the stack that exports it first.`,
      );
    }
    return found.Value;
  }

  /**
   * Parses and checks the template and parameters for `stack`, and checks
   * the capabilities; fills in the stack's parameters and description.
   */
  private prepare(
    stack: StackRecord,
    templateBody: string,
    request: StackRequest,
    previous: StackRecord['parameters'],
    context: RequestContext,
  ): Template {
    const template = parseTemplate(templateBody);
    analyseTemplate(template, this.providers);
    stack.parameters = resolveParameters(
      template,
      request.parameters,
      previous,
      name => this.readSsmParameter(name, context),
    );
    stack.description = template.Description;

    const capability = requiredCapability(template);
    const granted = request.capabilities;
    if (
      capability &&
      !granted.includes(capability) &&
      !(
        capability === 'CAPABILITY_IAM' &&
        granted.includes('CAPABILITY_NAMED_IAM')
      )
    ) {
      throw new AwsServiceError(
        'InsufficientCapabilitiesException',
        `Requires capabilities : [${capability}]. The template creates IAM resources${
          capability === 'CAPABILITY_NAMED_IAM' ? ' with custom names' : ''
        }; pass Capabilities=${capability} to acknowledge it.`,
      );
    }

    // Imports and conditions that depend only on parameters fail now, as on AWS.
    const scope = stackScope(stack, template, name => this.readExport(name));
    for (const name of Object.keys(template.Conditions ?? {})) {
      void scope.conditions[name];
    }
    this.checkImports(template, scope);
    return template;
  }

  private checkImports(
    value: unknown,
    scope: ReturnType<typeof stackScope>,
  ): void {
    const name = intrinsicName(value);
    if (name === 'Fn::ImportValue') {
      let exportName: unknown;
      try {
        exportName = evaluate((value as Record<string, unknown>)[name], scope);
      } catch {
        return;
      }
      scope.importValue(String(exportName));
      return;
    }
    if (value && typeof value === 'object') {
      Object.values(value).forEach(child => this.checkImports(child, scope));
    }
  }

  private findStack(nameOrId: string): StackRecord | undefined {
    if (nameOrId.startsWith('arn:')) {
      return this.stacks.get(nameOrId);
    }
    return this.findLive(nameOrId);
  }

  private findLive(name: string): StackRecord | undefined {
    return this.liveStacks().find(s => s.stackName === name);
  }

  private liveStacks(): StackRecord[] {
    return this.stacks
      .values()
      .filter(s => s.status !== 'DELETE_COMPLETE')
      .sort((a, b) => b.creationTime - a.creationTime);
  }

  /** Runs `operation` after the reply to the current request is sent. */
  private track(operation: () => Promise<void>): void {
    const tracked = new Promise(resolve => setImmediate(resolve))
      .then(operation)
      .catch(error =>
        this.logger.error(`Stack operation failed unexpectedly: ${error}`),
      )
      .finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }
}
