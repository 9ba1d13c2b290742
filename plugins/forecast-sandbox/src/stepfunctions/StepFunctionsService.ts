import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { AwsServiceError } from '../core/errors';
import { JsonFileStore } from '../core/JsonFileStore';
import type { JsonService, RequestContext, SandboxLogger } from '../core/types';
import { parseDefinition } from './definition';
import { ExecutionManager, type ParentExecution } from './ExecutionManager';
import { ExecutionStore } from './ExecutionStore';
import {
  checkName,
  isRoleArn,
  parseExecutionArn,
  parseStateMachineArn,
  stateMachineArn as buildStateMachineArn,
} from './names';
import type { StateMachineRecord, TaskDispatcher } from './types';
import {
  decodeToken,
  describeExecution,
  describeStateMachine,
  dropUndefined,
  encodeToken,
  executionListItem,
  normalizeTags,
  pageSize,
  requireString,
  seconds,
} from './wire';

/** Options of {@link StepFunctionsService}. */
export interface StepFunctionsServiceOptions {
  /** The sandbox data folder; this service keeps its state in `stepfunctions/` under it. */
  dataDir: string;
  /** Runs the Task states. */
  dispatcher: TaskDispatcher;
  /** Wait states and Retry intervals last this many times less. Defaults to 1000. */
  waitCompression?: number;
  logger?: SandboxLogger;
}

/** A state machine to create, as a CloudFormation resource describes it. */
export interface StateMachineSpec {
  name: string;
  /** ASL as JSON text or as an object (the `Definition` property). */
  definition: string | object;
  roleArn: string;
  accountId: string;
  region: string;
  /** `[{Key, Value}]`, `[{key, value}]` or a plain object. */
  tags?: unknown;
  type?: 'STANDARD' | 'EXPRESS';
}

const EXECUTION_STATUSES = [
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
  'PENDING_REDRIVE',
];

type Operation = (
  input: Record<string, unknown>,
  context: RequestContext,
) => Record<string, unknown> | Promise<Record<string, unknown>>;

/**
 * The Step Functions API of the sandbox (awsJson1_0, `AWSStepFunctions.*`).
 * State machines run with aws-local-stepfunctions; their Task states go to
 * the {@link TaskDispatcher}, and `states:startExecution` Tasks start real
 * executions here. State lives under `<dataDir>/stepfunctions/`.
 */
export class StepFunctionsService implements JsonService {
  private readonly machines: JsonFileStore<StateMachineRecord>;
  private readonly executions: ExecutionManager;
  private readonly operations: Record<string, Operation>;

  constructor(private readonly options: StepFunctionsServiceOptions) {
    const dir = path.join(options.dataDir, 'stepfunctions');
    this.machines = new JsonFileStore(path.join(dir, 'state-machines.json'));
    const waitCompression = options.waitCompression ?? 1000;
    if (!(waitCompression > 0)) {
      throw new Error(
        `Invalid waitCompression ${waitCompression}: it must be a number above 0`,
      );
    }
    this.executions = new ExecutionManager(new ExecutionStore(dir), {
      dispatcher: options.dispatcher,
      waitCompression,
      logger: options.logger,
      findMachine: arn => this.requireMachine(arn),
      onMachineIdle: arn => this.completeDeletion(arn),
    });
    this.operations = this.createOperations();
    this.recoverSync();
  }

  async handle(
    operation: string,
    input: Record<string, unknown>,
    context: RequestContext,
  ): Promise<Record<string, unknown>> {
    const run = this.operations[operation];
    if (!run) {
      throw new AwsServiceError(
        'UnknownOperationException',
        `The sandbox's Step Functions does not support the operation ${operation}`,
      );
    }
    return dropUndefined(await run(input ?? {}, context));
  }

  /** Ends work a previous process left unfinished; safe to call again. */
  async recover(): Promise<void> {
    this.recoverSync();
  }

  async close(): Promise<void> {
    this.executions.close();
  }

  /** Creates a state machine for a CloudFormation stack. */
  createStateMachine(spec: StateMachineSpec): {
    stateMachineArn: string;
    creationDate: number;
  } {
    checkName('state machine', spec.name);
    if (!isRoleArn(spec.roleArn)) {
      throw new AwsServiceError(
        'InvalidArn',
        `Invalid Arn: roleArn '${spec.roleArn}' is not an IAM role ARN ` +
          '(arn:aws:iam::<account>:role/<name>)',
      );
    }
    const definition = definitionText(spec.definition);
    parseDefinition(definition);
    const type = spec.type ?? 'STANDARD';
    if (type !== 'STANDARD' && type !== 'EXPRESS') {
      throw new AwsServiceError(
        'ValidationException',
        `Invalid type '${type}': it must be STANDARD or EXPRESS`,
      );
    }

    const arn = buildStateMachineArn(spec.region, spec.accountId, spec.name);
    const existing = this.machines.get(arn);
    if (existing) {
      if (
        existing.definition === definition &&
        existing.roleArn === spec.roleArn &&
        existing.status === 'ACTIVE'
      ) {
        return { stateMachineArn: arn, creationDate: existing.creationDate };
      }
      throw new AwsServiceError(
        'StateMachineAlreadyExists',
        `State Machine Already Exists: '${arn}'`,
      );
    }

    const record: StateMachineRecord = {
      stateMachineArn: arn,
      name: spec.name,
      type,
      status: 'ACTIVE',
      definition,
      roleArn: spec.roleArn,
      creationDate: Date.now(),
      revisionId: randomUUID(),
      tags: normalizeTags(spec.tags),
    };
    this.machines.set(arn, record);
    this.options.logger?.info(`Created state machine ${arn}`);
    return { stateMachineArn: arn, creationDate: record.creationDate };
  }

  /**
   * Changes the definition or role of a state machine. Running executions
   * finish with the revision they started with.
   */
  updateStateMachine(
    arn: string,
    change: { definition?: string | object; roleArn?: string },
  ): { updateDate: number; revisionId: string } {
    const machine = this.requireMachine(arn);
    if (change.definition === undefined && change.roleArn === undefined) {
      throw new AwsServiceError(
        'MissingRequiredParameter',
        'Either the definition or the roleArn must be specified',
      );
    }
    if (change.roleArn !== undefined && !isRoleArn(change.roleArn)) {
      throw new AwsServiceError(
        'InvalidArn',
        `Invalid Arn: roleArn '${change.roleArn}' is not an IAM role ARN`,
      );
    }
    const definition =
      change.definition === undefined
        ? machine.definition
        : definitionText(change.definition);
    parseDefinition(definition);

    const updateDate = Date.now();
    const referenced = new Set(
      this.executions.revisionsInUse(machine.stateMachineArn),
    );
    const previousRevisions = Object.fromEntries(
      Object.entries({
        ...machine.previousRevisions,
        [machine.revisionId]: {
          definition: machine.definition,
          roleArn: machine.roleArn,
          updateDate: machine.updateDate ?? machine.creationDate,
        },
      }).filter(([id]) => referenced.has(id)),
    );
    const updated: StateMachineRecord = {
      ...machine,
      definition,
      roleArn: change.roleArn ?? machine.roleArn,
      updateDate,
      revisionId: randomUUID(),
      previousRevisions,
    };
    this.machines.set(machine.stateMachineArn, updated);
    this.options.logger?.info(`Updated state machine ${arn}`);
    return { updateDate, revisionId: updated.revisionId };
  }

  /**
   * Deletes a state machine. As on AWS its running executions fail with
   * `States.Runtime`, and the machine stays DELETING until they have ended.
   */
  deleteStateMachine(arn: string): void {
    parseStateMachineArn(arn);
    const machine = this.machines.get(arn);
    if (!machine) {
      return;
    }
    this.machines.set(arn, { ...machine, status: 'DELETING' });
    this.options.logger?.info(`Deleting state machine ${arn}`);
    this.executions.stopAllOf(
      arn,
      'States.Runtime',
      `State machine ${machine.name} has been deleted.`,
    );
    this.completeDeletion(arn);
  }

  /**
   * Runs a `states:startExecution`, `.sync` or `.sync:2` Task for the
   * execution `parent`; a TaskDispatcher may hand these resources back here.
   */
  startExecutionTask(
    resource: string,
    parameters: unknown,
    parent: ParentExecution,
  ): Promise<unknown> {
    return this.executions.runStartExecutionTask(resource, parameters, parent);
  }

  private recoverSync() {
    this.executions.recover();
    for (const machine of this.machines.values()) {
      if (machine.status === 'DELETING') {
        this.completeDeletion(machine.stateMachineArn);
      }
    }
  }

  private completeDeletion(arn: string) {
    const machine = this.machines.get(arn);
    if (machine?.status !== 'DELETING' || this.executions.isRunningAny(arn)) {
      return;
    }
    this.executions.removeAllOf(arn);
    this.machines.delete(arn);
    this.options.logger?.info(`Deleted state machine ${arn}`);
  }

  private requireMachine(arn: unknown): StateMachineRecord {
    parseStateMachineArn(arn);
    const machine = this.machines.get(arn as string);
    if (!machine) {
      throw new AwsServiceError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${arn}'`,
      );
    }
    return machine;
  }

  private createOperations(): Record<string, Operation> {
    return {
      CreateStateMachine: (input, context) => {
        const created = this.createStateMachine({
          name: requireString(input, 'name'),
          definition: requireString(input, 'definition'),
          roleArn: requireString(input, 'roleArn'),
          type: input.type as StateMachineSpec['type'],
          tags: input.tags,
          accountId: context.accountId,
          region: context.region,
        });
        return {
          stateMachineArn: created.stateMachineArn,
          creationDate: seconds(created.creationDate),
        };
      },
      UpdateStateMachine: input => {
        const updated = this.updateStateMachine(
          requireString(input, 'stateMachineArn'),
          {
            definition: input.definition as string | undefined,
            roleArn: input.roleArn as string | undefined,
          },
        );
        return {
          updateDate: seconds(updated.updateDate),
          revisionId: updated.revisionId,
        };
      },
      DeleteStateMachine: input => {
        this.deleteStateMachine(requireString(input, 'stateMachineArn'));
        return {};
      },
      DescribeStateMachine: input =>
        describeStateMachine(this.requireMachine(input.stateMachineArn)),
      ListStateMachines: input => this.listStateMachines(input),
      StartExecution: input => {
        const machine = this.requireMachine(input.stateMachineArn);
        const { accountId, region } = parseStateMachineArn(
          machine.stateMachineArn,
        );
        const record = this.executions.start(machine, input, {
          accountId,
          region,
        });
        return {
          executionArn: record.executionArn,
          startDate: seconds(record.startDate),
        };
      },
      StopExecution: async input => {
        const arn = requireString(input, 'executionArn');
        this.executions.require(arn);
        const stopped = await this.executions.stop(arn, {
          status: 'ABORTED',
          error: input.error as string | undefined,
          cause: input.cause as string | undefined,
        });
        return { stopDate: seconds(stopped.stopDate ?? Date.now()) };
      },
      DescribeExecution: input =>
        describeExecution(this.executions.require(input.executionArn)),
      DescribeStateMachineForExecution: input =>
        this.describeStateMachineForExecution(input),
      ListExecutions: input => this.listExecutions(input),
      GetExecutionHistory: input => this.getExecutionHistory(input),
      ListTagsForResource: input => ({
        tags: this.requireTaggable(input.resourceArn).tags,
      }),
      TagResource: input => {
        const machine = this.requireTaggable(input.resourceArn);
        const added = normalizeTags(input.tags);
        const kept = machine.tags.filter(
          tag => !added.some(other => other.key === tag.key),
        );
        this.machines.set(machine.stateMachineArn, {
          ...machine,
          tags: [...kept, ...added],
        });
        return {};
      },
      UntagResource: input => {
        const machine = this.requireTaggable(input.resourceArn);
        const removed = new Set((input.tagKeys as string[]) ?? []);
        this.machines.set(machine.stateMachineArn, {
          ...machine,
          tags: machine.tags.filter(tag => !removed.has(tag.key)),
        });
        return {};
      },
    };
  }

  private listStateMachines(input: Record<string, unknown>) {
    const limit = pageSize(input);
    const after = decodeToken(input, 'ListStateMachines');
    const sorted = this.machines
      .values()
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const remaining =
      after === undefined
        ? sorted
        : sorted.filter(machine => machine.name > String(after));
    const page = remaining.slice(0, limit);
    return {
      stateMachines: page.map(machine => ({
        stateMachineArn: machine.stateMachineArn,
        name: machine.name,
        type: machine.type,
        creationDate: seconds(machine.creationDate),
      })),
      nextToken:
        remaining.length > limit
          ? encodeToken('ListStateMachines', page[page.length - 1].name)
          : undefined,
    };
  }

  private listExecutions(input: Record<string, unknown>) {
    const machine = this.requireMachine(input.stateMachineArn);
    const limit = pageSize(input);
    const before = decodeToken(input, 'ListExecutions');
    const status = input.statusFilter as string | undefined;
    if (status !== undefined && !EXECUTION_STATUSES.includes(status)) {
      throw new AwsServiceError(
        'ValidationException',
        `1 validation error detected: Value '${status}' at 'statusFilter' ` +
          `failed to satisfy constraint: Member must satisfy enum value set: ` +
          `[${EXECUTION_STATUSES.join(', ')}]`,
      );
    }
    const page = this.executions.listNewestFirst(machine.stateMachineArn, {
      beforeSequence: before === undefined ? undefined : Number(before),
      status,
      limit: limit + 1,
    });
    const more = page.length > limit;
    const items = page.slice(0, limit);
    return {
      executions: items.map(executionListItem),
      nextToken: more
        ? encodeToken('ListExecutions', items[items.length - 1].sequence)
        : undefined,
    };
  }

  private getExecutionHistory(input: Record<string, unknown>) {
    const record = this.executions.require(input.executionArn);
    const limit = pageSize(input);
    const reverse = input.reverseOrder === true;
    const includeData = input.includeExecutionData !== false;
    const events = this.executions.history(record);

    // The token contains the id of the next event to return; ids run from 1.
    const next = decodeToken(input, 'GetExecutionHistory');
    let startId = reverse ? events.length : 1;
    if (next !== undefined) {
      startId = Number(next);
    }
    const page = [];
    for (
      let id = startId;
      id >= 1 && id <= events.length && page.length < limit;
      id += reverse ? -1 : 1
    ) {
      page.push(includeData ? events[id - 1] : withoutData(events[id - 1]));
    }
    const nextId = startId + (reverse ? -page.length : page.length);
    return {
      events: page,
      nextToken:
        nextId >= 1 && nextId <= events.length
          ? encodeToken('GetExecutionHistory', nextId)
          : undefined,
    };
  }

  private describeStateMachineForExecution(input: Record<string, unknown>) {
    const record = this.executions.require(input.executionArn);
    const machine = this.requireMachine(
      parseExecutionArn(record.executionArn).stateMachineArn,
    );
    const revision = machine.previousRevisions?.[record.revisionId] ?? machine;
    return {
      stateMachineArn: machine.stateMachineArn,
      name: machine.name,
      definition: revision.definition,
      roleArn: revision.roleArn,
      updateDate: seconds(
        'updateDate' in revision && revision.updateDate !== undefined
          ? revision.updateDate
          : machine.creationDate,
      ),
      revisionId: revision === machine ? machine.revisionId : record.revisionId,
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    };
  }

  private requireTaggable(arn: unknown): StateMachineRecord {
    try {
      return this.requireMachine(arn);
    } catch {
      throw new AwsServiceError(
        'ResourceNotFound',
        `Resource not found: '${String(arn)}'; tags are kept on state machines`,
      );
    }
  }
}

function definitionText(definition: string | object): string {
  return typeof definition === 'string'
    ? definition
    : JSON.stringify(definition);
}

// Drops input and output from an event when includeExecutionData is false.
function withoutData(event: Record<string, any>) {
  const copy: Record<string, any> = { ...event };
  for (const [key, value] of Object.entries(copy)) {
    if (key.endsWith('EventDetails') && value && typeof value === 'object') {
      const { input, output, parameters, ...rest } = value;
      copy[key] = rest;
    }
  }
  return copy;
}
