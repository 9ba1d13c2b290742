import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { ExecutionStep } from '@forecast-pipelines/plugin-forecast-common';

const FAILURE_DETAILS = [
  'taskFailedEventDetails',
  'taskTimedOutEventDetails',
  'taskStartFailedEventDetails',
  'taskSubmitFailedEventDetails',
  'activityFailedEventDetails',
  'activityTimedOutEventDetails',
  'lambdaFunctionFailedEventDetails',
  'executionFailedEventDetails',
  'executionTimedOutEventDetails',
  'executionAbortedEventDetails',
  'mapRunFailedEventDetails',
] as const;

/** The failure of a run: the step it happened in, and the error and cause. */
export interface ExecutionFailure {
  step?: string;
  error?: string;
  cause?: string;
}

function failureOf(
  event: HistoryEvent,
): { error?: string; cause?: string } | undefined {
  for (const field of FAILURE_DETAILS) {
    const details = event[field] as
      | { error?: string; cause?: string }
      | undefined;
    if (details) {
      return { error: details.error, cause: details.cause };
    }
  }
  return undefined;
}

/**
 * Turns Step Functions history events into steps, one per state entered.
 * A state that reported a task failure and still exited (a Catch took it)
 * is `CAUGHT`; a state entered but never exited is `FAILED` when the run
 * failed and `RUNNING` otherwise. Events must be in ascending order.
 */
export function stepsFromHistory(events: HistoryEvent[]): {
  steps: ExecutionStep[];
  failure?: ExecutionFailure;
} {
  const steps: ExecutionStep[] = [];
  const open: ExecutionStep[] = [];
  let failure: ExecutionFailure | undefined;

  for (const event of events) {
    const type = event.type ?? '';
    const time = event.timestamp?.toISOString() ?? '';

    if (type.endsWith('StateEntered') && event.stateEnteredEventDetails) {
      const step: ExecutionStep = {
        name: event.stateEnteredEventDetails.name ?? '',
        type: type.slice(0, -'StateEntered'.length),
        status: 'RUNNING',
        startDate: time,
      };
      steps.push(step);
      open.push(step);
      continue;
    }

    if (type.endsWith('StateExited') && event.stateExitedEventDetails) {
      const name = event.stateExitedEventDetails.name;
      const index = open.map(s => s.name).lastIndexOf(name ?? '');
      if (index >= 0) {
        const [step] = open.splice(index, 1);
        step.endDate = time;
        step.status = step.error ? 'CAUGHT' : 'SUCCEEDED';
      }
      continue;
    }

    const failed = failureOf(event);
    if (!failed) {
      continue;
    }
    const current = open[open.length - 1];
    if (type.startsWith('Execution')) {
      failure = {
        step: current?.name ?? failure?.step,
        error: failed.error,
        cause: failed.cause,
      };
      for (const step of open) {
        step.status = 'FAILED';
        step.endDate = time;
      }
      open.length = 0;
    } else if (current) {
      current.error = failed.error;
      current.cause = failed.cause;
      failure = { step: current.name, ...failed };
    }
  }

  return { steps, failure };
}
