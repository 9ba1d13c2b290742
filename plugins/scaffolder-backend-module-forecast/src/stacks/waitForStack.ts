import type { Stack, StackEvent } from '@aws-sdk/client-cloudformation';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { awsCause, errorMessage, isThrottlingError } from '../aws/awsErrors';
import { formatStackEvent } from './StackEventStream';

const FIRST_POLL_INTERVAL_MS = 500;
const MAX_THROTTLED_POLL_INTERVAL_MS = 60_000;

/** Settings and calls {@link waitForStack} uses. */
export interface StackWaitOptions {
  logger: LoggerService;
  /** Maximum time between two polls, reached after the first fast polls. */
  pollIntervalMs: number;
  /** A progress line is logged when no event was logged for this long. */
  heartbeatIntervalMs: number;
  /** The wait fails when the stack is still in progress after this long. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Returns the stack, or undefined when it is gone. */
  describe: (stackId: string) => Promise<Stack | undefined>;
  /** Returns the stack events not returned before, oldest first. */
  readEvents: () => Promise<StackEvent[]>;
}

/** Waits `ms` milliseconds; rejects at once when the task is cancelled. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Error('The task was cancelled'));
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('The task was cancelled'));
    };
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Polls the stack until it leaves every `*_IN_PROGRESS` status, logging its
 * new events. Throttled polls back off instead of failing the deployment.
 * Returns undefined as the stack when it is gone (a finished delete).
 */
export async function waitForStack(
  stackId: string,
  options: StackWaitOptions,
): Promise<{ stack: Stack | undefined; events: StackEvent[] }> {
  const { logger, pollIntervalMs, heartbeatIntervalMs, timeoutMs, signal } =
    options;
  const startedAt = Date.now();
  let lastLineAt = startedAt;
  // Polls start fast, so a quick operation finishes without a long sleep,
  // and slow down to pollIntervalMs.
  let interval = Math.min(FIRST_POLL_INTERVAL_MS, pollIntervalMs);
  const events: StackEvent[] = [];

  for (;;) {
    let stack: Stack | undefined;
    try {
      stack = await options.describe(stackId);
      const fresh = await options.readEvents();
      for (const event of fresh) {
        logger.info(formatStackEvent(event));
      }
      if (fresh.length > 0) {
        lastLineAt = Date.now();
      }
      events.push(...fresh);
      interval = Math.min(interval * 2, pollIntervalMs);
    } catch (error) {
      if (!isThrottlingError(awsCause(error))) {
        throw error;
      }
      interval = Math.min(interval * 2, MAX_THROTTLED_POLL_INTERVAL_MS);
      const wait = Math.min(interval, heartbeatIntervalMs);
      logger.warn(
        `AWS throttled the stack status poll (${errorMessage(
          awsCause(error),
        )}); polling again in ${(wait / 1000).toFixed(1)} s`,
      );
      await sleep(wait, signal);
      continue;
    }

    const status = stack?.StackStatus;
    if (!stack || !status?.endsWith('_IN_PROGRESS')) {
      return { stack, events };
    }

    const now = Date.now();
    const elapsedSeconds = Math.round((now - startedAt) / 1000);
    if (now - startedAt > timeoutMs) {
      throw new Error(
        `Timed out after ${elapsedSeconds} s waiting for stack ${stack.StackName} (still ${status}). ` +
          `The operation goes on in AWS: follow it in the CloudFormation console and run the template again once it has finished.`,
      );
    }
    if (now - lastLineAt >= heartbeatIntervalMs) {
      logger.info(
        `Still waiting for stack ${stack.StackName}: ${status}, ${elapsedSeconds} s elapsed`,
      );
      lastLineAt = now;
    }

    const untilHeartbeat = heartbeatIntervalMs - (Date.now() - lastLineAt);
    await sleep(Math.max(1, Math.min(interval, untilHeartbeat)), signal);
  }
}
