import { randomUUID } from 'node:crypto';
import type { SandboxLogger } from '../core/types';
import type { ResourceRecord, StackEvent, StackRecord } from './records';
import type { StackEventLog, StackStore } from './StackStore';

const STACK_TYPE = 'AWS::CloudFormation::Stack';

/** Publishes a message to an SNS topic. */
export type StackNotifier = (
  topicArn: string,
  subject: string,
  message: string,
) => void;

/** A stack event in the `Key='value'` lines CloudFormation sends to SNS. */
function notificationText(event: StackEvent, accountId: string): string {
  const fields: [string, unknown][] = [
    ['StackId', event.StackId],
    ['Timestamp', new Date(event.Timestamp).toISOString()],
    ['EventId', event.EventId],
    ['LogicalResourceId', event.LogicalResourceId],
    ['Namespace', accountId],
    ['PhysicalResourceId', event.PhysicalResourceId ?? ''],
    ['ResourceProperties', event.ResourceProperties ?? 'null'],
    ['ResourceStatus', event.ResourceStatus],
    ['ResourceStatusReason', event.ResourceStatusReason ?? ''],
    ['ResourceType', event.ResourceType],
    ['StackName', event.StackName],
    ['ClientRequestToken', 'null'],
  ];
  return `${fields.map(([key, value]) => `${key}='${value}'`).join('\n')}\n`;
}

/**
 * Records status changes of stacks and their resources: each one sets the
 * status, appends a stack event and saves the stack.
 */
export class StackRecorder {
  constructor(
    private readonly stacks: StackStore,
    private readonly events: StackEventLog,
    private readonly logger: SandboxLogger,
    private readonly notify?: StackNotifier,
  ) {}

  /** Appends an event and saves the stack. */
  record(
    stack: StackRecord,
    event: Partial<StackEvent> & {
      LogicalResourceId: string;
      ResourceStatus: string;
      ResourceType: string;
    },
  ): void {
    const full: StackEvent = {
      EventId: randomUUID(),
      StackId: stack.stackId,
      StackName: stack.stackName,
      Timestamp: Date.now(),
      ...event,
    };
    this.events.append(full);
    this.stacks.set(stack.stackId, stack);
    for (const topicArn of stack.notificationArns) {
      try {
        this.notify?.(
          topicArn,
          'AWS CloudFormation Notification',
          notificationText(full, stack.accountId),
        );
      } catch (error) {
        this.logger.warn(
          `Stack ${stack.stackName}: failed to notify ${topicArn}: ${error}`,
        );
      }
    }
  }

  setStackStatus(stack: StackRecord, status: string, reason?: string): void {
    stack.status = status;
    stack.statusReason = reason;
    this.logger.info(
      `Stack ${stack.stackName} ${status}${reason ? `: ${reason}` : ''}`,
    );
    this.record(stack, {
      LogicalResourceId: stack.stackName,
      PhysicalResourceId: stack.stackId,
      ResourceType: STACK_TYPE,
      ResourceStatus: status,
      ResourceStatusReason: reason,
    });
  }

  /**
   * Sets a resource's status and records the event. `attach` false leaves
   * the stack's record of that logical id alone, for an old physical
   * resource deleted after its replacement.
   */
  /** Keeps why a rollback happened on the stack, so DescribeStacks shows it. */
  keepReason(stack: StackRecord, reason: string): void {
    stack.statusReason = reason;
    this.stacks.set(stack.stackId, stack);
  }

  setResourceStatus(
    stack: StackRecord,
    resource: ResourceRecord,
    status: string,
    reason?: string,
    withProperties = false,
    attach = true,
  ): void {
    resource.status = status;
    resource.statusReason = reason;
    resource.timestamp = Date.now();
    if (attach) {
      stack.resources[resource.logicalId] = resource;
    }
    if (status.endsWith('FAILED')) {
      this.logger.warn(
        `Stack ${stack.stackName}: ${resource.logicalId} ${status}: ${reason}`,
      );
    }
    this.record(stack, {
      LogicalResourceId: resource.logicalId,
      PhysicalResourceId: resource.physicalId ?? '',
      ResourceType: resource.type,
      ResourceStatus: status,
      ResourceStatusReason: reason,
      ResourceProperties: withProperties
        ? JSON.stringify(resource.properties)
        : undefined,
    });
  }
}
