import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  StackEvent,
} from '@aws-sdk/client-cloudformation';

/**
 * Reads the events of one stack that have not been read before. CloudFormation
 * returns events newest first, so paging stops at the first event already
 * seen; the new events are returned oldest first.
 */
export class StackEventStream {
  readonly #client: CloudFormationClient;
  readonly #stackId: string;
  readonly #seen = new Set<string>();

  constructor(client: CloudFormationClient, stackId: string) {
    this.#client = client;
    this.#stackId = stackId;
  }

  /**
   * Marks every event that exists now as seen, so that only events of the
   * operation about to start are returned. Reads only the newest page: older
   * events are never reached because paging stops at a seen event.
   */
  async skipExisting(): Promise<void> {
    const page = await this.#client.send(
      new DescribeStackEventsCommand({ StackName: this.#stackId }),
    );
    for (const event of page.StackEvents ?? []) {
      if (event.EventId) {
        this.#seen.add(event.EventId);
      }
    }
  }

  /** Returns the events that appeared since the last call, oldest first. */
  async readNew(): Promise<StackEvent[]> {
    const fresh: StackEvent[] = [];
    let nextToken: string | undefined;

    do {
      const page = await this.#client.send(
        new DescribeStackEventsCommand({
          StackName: this.#stackId,
          NextToken: nextToken,
        }),
      );
      let reachedSeen = false;
      for (const event of page.StackEvents ?? []) {
        if (!event.EventId || this.#seen.has(event.EventId)) {
          reachedSeen = true;
          break;
        }
        fresh.push(event);
      }
      nextToken = reachedSeen ? undefined : page.NextToken;
    } while (nextToken);

    for (const event of fresh) {
      this.#seen.add(event.EventId!);
    }
    return fresh.reverse();
  }
}

/** Formats a stack event as one task log line. */
export function formatStackEvent(event: StackEvent): string {
  const time = event.Timestamp ? event.Timestamp.toISOString() : '';
  const reason = event.ResourceStatusReason
    ? `: ${event.ResourceStatusReason}`
    : '';
  return `${time} ${event.LogicalResourceId} (${event.ResourceType}) ${event.ResourceStatus}${reason}`;
}

/** Whether an event reports a failed resource operation worth showing as the cause. */
export function isFailureEvent(event: StackEvent): boolean {
  const status = event.ResourceStatus ?? '';
  const reason = event.ResourceStatusReason ?? '';
  return (
    status.endsWith('_FAILED') &&
    event.ResourceType !== 'AWS::CloudFormation::Stack' &&
    !/cancelled/i.test(reason)
  );
}
