import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  Stack,
  StackEvent,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  AwsCallDescription,
  awsCause,
  explainAwsError,
  isNoUpdatesError,
  isStackNotFoundError,
} from '../aws/awsErrors';
import { isFailureEvent, StackEventStream } from './StackEventStream';
import { waitForStack } from './waitForStack';

/** A stack deployment request. */
export interface StackDeployRequest {
  stackName: string;
  /** The template, sent inline or by URL; see {@link TemplateSource}. */
  template: TemplateSource;
  parameters: Record<string, string>;
  tags: Record<string, string>;
  capabilities: Array<'CAPABILITY_IAM' | 'CAPABILITY_NAMED_IAM'>;
  /** Delete a stack left in ROLLBACK_COMPLETE and create it again. */
  recreateIfRolledBack: boolean;
  /**
   * Idempotency token for CreateStack, so a retried request does not create
   * a second stack. At most 128 characters of `[a-zA-Z0-9-]`.
   */
  clientRequestToken?: string;
}

/**
 * Template source for CloudFormation: the body inline (at most
 * 51,200 bytes), or the URL of a copy in S3 (at most 1 MB).
 */
export type TemplateSource = { templateBody: string } | { templateUrl: string };

function templateFields(template: TemplateSource) {
  return 'templateBody' in template
    ? { TemplateBody: template.templateBody }
    : { TemplateURL: template.templateUrl };
}

/** Result of a deployment. */
export interface StackDeployResult {
  stackId: string;
  stackName: string;
  status: string;
  /** `none` when CloudFormation had no changes to make. */
  operation: 'create' | 'update' | 'none';
  outputs: Record<string, string>;
}

/** Settings for the deployer's polling, logging and idempotency. */
export interface StackDeployerOptions {
  client: CloudFormationClient;
  logger: LoggerService;
  accountId: string;
  region: string;
  /**
   * Stores the result of `fn` under `key`, so a recovered task reuses it
   * instead of calling `fn` again (the scaffolder's `ctx.checkpoint`).
   */
  checkpoint: <T extends string>(
    key: string,
    fn: () => Promise<T>,
  ) => Promise<T>;
  /** Time between two polls of the stack and its events. */
  pollIntervalMs: number;
  /** A progress line is logged when no event was logged for this long. */
  heartbeatIntervalMs: number;
  /** The deployment fails when the stack is still in progress after this long. */
  timeoutMs: number;
  signal?: AbortSignal;
}

const ROLLED_BACK_STATUSES = new Set(['ROLLBACK_COMPLETE', 'ROLLBACK_FAILED']);

function stackOutputs(stack: Stack): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const output of stack.Outputs ?? []) {
    if (output.OutputKey) {
      outputs[output.OutputKey] = output.OutputValue ?? '';
    }
  }
  return outputs;
}

/**
 * Creates or updates one CloudFormation stack and waits for the result,
 * logging every new stack event as it appears and a progress line at least
 * every `heartbeatIntervalMs`.
 */
export class StackDeployer {
  readonly #options: StackDeployerOptions;

  constructor(options: StackDeployerOptions) {
    this.#options = options;
  }

  async deploy(request: StackDeployRequest): Promise<StackDeployResult> {
    const { logger } = this.#options;
    let stack = await this.describe(request.stackName);

    if (stack?.StackStatus === 'REVIEW_IN_PROGRESS') {
      throw new ConflictError(
        `Stack ${request.stackName} is in REVIEW_IN_PROGRESS: a change set created it and was never executed, so it has no resources and cannot be updated. ` +
          `Delete the stack (aws cloudformation delete-stack --stack-name ${request.stackName}) and run the template again.`,
      );
    }
    if (stack?.StackStatus === 'UPDATE_ROLLBACK_FAILED') {
      throw new ConflictError(
        `Stack ${request.stackName} is in UPDATE_ROLLBACK_FAILED: CloudFormation could not roll back its last update. ` +
          `Fix the resource named in the stack's last events, run aws cloudformation continue-update-rollback --stack-name ${request.stackName}, then run the template again.`,
      );
    }

    if (stack && stack.StackStatus?.endsWith('_IN_PROGRESS')) {
      logger.info(
        `Stack ${request.stackName} is ${stack.StackStatus}; waiting for that operation to finish before deploying`,
      );
      const stream = new StackEventStream(this.#options.client, stack.StackId!);
      await this.call('DescribeStackEvents', request.stackName, () =>
        stream.skipExisting(),
      );
      stack = (await this.waitForStack(stack.StackId!, stream)).stack;
    }

    if (stack && ROLLED_BACK_STATUSES.has(stack.StackStatus ?? '')) {
      stack = await this.handleRolledBack(stack, request);
    }

    if (stack?.StackStatus === 'DELETE_FAILED') {
      throw new ConflictError(
        `Stack ${request.stackName} is in DELETE_FAILED, so CloudFormation can neither update nor recreate it. ` +
          `Open the stack in the AWS CloudFormation console, remove what blocks the deletion (the last events name it), ` +
          `delete the stack, then run the template again.`,
      );
    }

    if (!stack) {
      return this.create(request);
    }
    return this.update(stack, request);
  }

  /** Returns the stack, or undefined when it does not exist. */
  async describe(stackNameOrId: string): Promise<Stack | undefined> {
    try {
      const response = await this.call('DescribeStacks', stackNameOrId, () =>
        this.#options.client.send(
          new DescribeStacksCommand({ StackName: stackNameOrId }),
        ),
      );
      const stack = response.Stacks?.[0];
      return stack?.StackStatus === 'DELETE_COMPLETE' ? undefined : stack;
    } catch (error) {
      if (isStackNotFoundError(awsCause(error))) {
        return undefined;
      }
      throw error;
    }
  }

  private async handleRolledBack(
    stack: Stack,
    request: StackDeployRequest,
  ): Promise<Stack | undefined> {
    const { logger } = this.#options;
    if (!request.recreateIfRolledBack) {
      throw new ConflictError(
        `Stack ${request.stackName} is in ${stack.StackStatus}: its first creation failed and was rolled back, ` +
          `so CloudFormation cannot update it. Look at the stack's events in the AWS console for the cause, ` +
          `then either run the template again with "Delete and recreate a rolled-back stack" checked ` +
          `(input recreateIfRolledBack: true), or delete the stack yourself ` +
          `(aws cloudformation delete-stack --stack-name ${request.stackName}) and run the template again.`,
      );
    }

    logger.info(
      `Stack ${request.stackName} is in ${stack.StackStatus}; deleting it so it can be created again`,
    );
    const stream = new StackEventStream(this.#options.client, stack.StackId!);
    await this.call('DescribeStackEvents', request.stackName, () =>
      stream.skipExisting(),
    );
    await this.call('DeleteStack', request.stackName, () =>
      this.#options.client.send(
        new DeleteStackCommand({ StackName: stack.StackId }),
      ),
    );
    const { stack: deleted } = await this.waitForStack(stack.StackId!, stream);
    if (deleted && deleted.StackStatus !== 'DELETE_COMPLETE') {
      throw new Error(
        `Deleting the rolled-back stack ${request.stackName} ended in ${deleted.StackStatus}; ` +
          `delete it in the AWS CloudFormation console and run the template again.`,
      );
    }
    logger.info(`Deleted the rolled-back stack ${request.stackName}`);
    return undefined;
  }

  private async create(
    request: StackDeployRequest,
  ): Promise<StackDeployResult> {
    const { logger, client, checkpoint } = this.#options;

    logger.info(`Creating stack ${request.stackName}`);
    const stackId = await checkpoint(
      `create-stack-${request.stackName}`,
      async () => {
        const response = await this.call('CreateStack', request.stackName, () =>
          client.send(
            new CreateStackCommand({
              StackName: request.stackName,
              ...templateFields(request.template),
              Parameters: this.toParameters(request.parameters),
              Capabilities: request.capabilities,
              Tags: this.toTags(request.tags),
              ClientRequestToken: request.clientRequestToken,
            }),
          ),
        );
        return response.StackId!;
      },
    );
    logger.info(`CreateStack accepted: ${stackId}`);

    const stream = new StackEventStream(client, stackId);
    const { stack, events } = await this.waitForStack(stackId, stream);
    return this.finish(request, stack, events, 'create', 'CREATE_COMPLETE');
  }

  private async update(
    existing: Stack,
    request: StackDeployRequest,
  ): Promise<StackDeployResult> {
    const { logger, client } = this.#options;
    const stackId = existing.StackId!;

    logger.info(
      `Stack ${request.stackName} exists (${existing.StackStatus}); updating it`,
    );
    const stream = new StackEventStream(client, stackId);
    await this.call('DescribeStackEvents', request.stackName, () =>
      stream.skipExisting(),
    );

    try {
      await this.call('UpdateStack', request.stackName, () =>
        client.send(
          new UpdateStackCommand({
            StackName: stackId,
            ...templateFields(request.template),
            Parameters: this.toParameters(request.parameters),
            Capabilities: request.capabilities,
            Tags: this.toTags(request.tags),
          }),
        ),
      );
    } catch (error) {
      if (isNoUpdatesError(awsCause(error))) {
        logger.info(
          `Stack ${request.stackName} is already up to date: CloudFormation found no changes to make`,
        );
        return {
          stackId,
          stackName: request.stackName,
          status: existing.StackStatus ?? '',
          operation: 'none',
          outputs: stackOutputs(existing),
        };
      }
      throw error;
    }

    const { stack, events } = await this.waitForStack(stackId, stream);
    return this.finish(request, stack, events, 'update', 'UPDATE_COMPLETE');
  }

  private finish(
    request: StackDeployRequest,
    stack: Stack | undefined,
    events: StackEvent[],
    operation: 'create' | 'update',
    expectedStatus: string,
  ): StackDeployResult {
    const status = stack?.StackStatus ?? 'UNKNOWN';
    if (!stack || status !== expectedStatus) {
      const failure = events.find(isFailureEvent);
      const stackReason = stack?.StackStatusReason
        ? ` CloudFormation's reason: ${stack.StackStatusReason}.`
        : '';
      const cause = failure
        ? ` First failure: resource ${failure.LogicalResourceId} (${failure.ResourceType}) ${failure.ResourceStatus}: ${failure.ResourceStatusReason}.`
        : stackReason;
      const next =
        status === 'ROLLBACK_COMPLETE'
          ? ' Fix the cause, then run the template again with "Delete and recreate a rolled-back stack" checked, or delete the stack first.'
          : ' Fix the cause and run the template again; the stack was rolled back to its previous state.';
      throw new Error(
        `Stack ${request.stackName} failed to ${operation}: it ended in ${status}.${cause}${next}`,
      );
    }

    this.#options.logger.info(`Stack ${request.stackName} is ${status}`);
    return {
      stackId: stack.StackId!,
      stackName: request.stackName,
      status,
      operation,
      outputs: stackOutputs(stack),
    };
  }

  private waitForStack(stackId: string, stream: StackEventStream) {
    return waitForStack(stackId, {
      ...this.#options,
      describe: id => this.describe(id),
      readEvents: () =>
        this.call('DescribeStackEvents', stackId, () => stream.readNew()),
    });
  }

  /** Runs one AWS call and rewrites its error to name the call and what to do. */
  private async call<T>(
    operation: string,
    resource: string,
    fn: () => Promise<T>,
  ): Promise<T> {
    const description: AwsCallDescription = {
      action: `cloudformation:${operation}`,
      accountId: this.#options.accountId,
      region: this.#options.region,
      resource,
    };
    try {
      return await fn();
    } catch (error) {
      throw explainAwsError(error, description);
    }
  }

  private toParameters(values: Record<string, string>) {
    return Object.entries(values).map(([ParameterKey, ParameterValue]) => ({
      ParameterKey,
      ParameterValue,
    }));
  }

  private toTags(tags: Record<string, string>) {
    return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  }
}
