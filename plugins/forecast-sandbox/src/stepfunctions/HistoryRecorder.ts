import { JSONPath } from 'jsonpath-plus';
import { splitResource, type StateInfo } from './definition';
import type { HistoryEvent } from './types';

/** An event of aws-local-stepfunctions' event log, in the fields used here. */
export interface LibraryEvent {
  type: string;
  index?: number;
  state?: { name: string; type: string; input?: unknown; output?: unknown };
  parentState?: { name: string; type: string; input?: unknown };
  Error?: string;
  Cause?: unknown;
}

const TERMINAL_TYPES = new Set([
  'ExecutionSucceeded',
  'ExecutionFailed',
  'ExecutionAborted',
  'ExecutionTimedOut',
]);

// The state types that have a `<Type>StateAborted` event in the API.
const ABORTABLE_TYPES = new Set(['Task', 'Wait', 'Map', 'Parallel']);

/** Returns whether an event ends an execution. */
export function isTerminalEvent(event: HistoryEvent): boolean {
  return TERMINAL_TYPES.has(event.type);
}

/**
 * Builds an execution history in the Step Functions API shape from the
 * library's event log and the Task calls the runner makes. Events keep the
 * order they happen in; `previousEventId` is the event before.
 */
export class HistoryRecorder {
  readonly events: HistoryEvent[] = [];
  private readonly openStates = new Map<string, string>();
  private readonly failuresInVisit = new Map<string, number>();
  private ended = false;

  constructor(
    private readonly states: Map<string, StateInfo>,
    private readonly onEvent: () => void,
  ) {}

  /** Counts failures of `stateName` since it was last entered: the retry attempt. */
  failureCount(stateName: string): number {
    return this.failuresInVisit.get(stateName) ?? 0;
  }

  executionStarted(input: string, roleArn: string) {
    this.add('ExecutionStarted', 'executionStartedEventDetails', {
      input,
      inputDetails: { truncated: false },
      roleArn,
    });
  }

  executionEnded(
    type:
      | 'ExecutionSucceeded'
      | 'ExecutionFailed'
      | 'ExecutionAborted'
      | 'ExecutionTimedOut',
    details: { output?: string; error?: string; cause?: string },
  ) {
    // Only a stop interrupts states; a failure has already ended them.
    if (type === 'ExecutionAborted') {
      for (const [name, stateType] of this.openStates) {
        if (ABORTABLE_TYPES.has(stateType)) {
          this.add(`${stateType}StateAborted`);
        }
        this.openStates.delete(name);
      }
    }
    const key = `${type[0].toLowerCase()}${type.slice(1)}EventDetails`;
    if (type === 'ExecutionSucceeded') {
      this.add(type, key, {
        output: details.output,
        outputDetails: { truncated: false },
      });
    } else {
      this.add(type, key, { error: details.error, cause: details.cause });
    }
    // A Task still running when the execution stops must not add events.
    this.ended = true;
  }

  taskScheduled(
    resource: string,
    parameters: unknown,
    region: string,
    timeoutSeconds?: number,
  ) {
    this.add('TaskScheduled', 'taskScheduledEventDetails', {
      ...splitResource(resource),
      region,
      parameters: JSON.stringify(parameters ?? null),
      timeoutInSeconds: timeoutSeconds,
    });
    this.add('TaskStarted', 'taskStartedEventDetails', splitResource(resource));
  }

  taskSucceeded(resource: string, output: unknown) {
    this.add('TaskSucceeded', 'taskSucceededEventDetails', {
      ...splitResource(resource),
      output: JSON.stringify(output ?? null),
      outputDetails: { truncated: false },
    });
  }

  taskFailed(resource: string, error: string, cause: string) {
    this.add('TaskFailed', 'taskFailedEventDetails', {
      ...splitResource(resource),
      error,
      cause,
    });
  }

  /** Translates one event of the library's log; root execution events excepted. */
  record(event: LibraryEvent) {
    switch (event.type) {
      case 'StateEntered':
        this.stateEntered(event.state!);
        break;
      case 'StateExited':
        this.stateExited(event.state!);
        break;
      case 'StateFailed':
        this.stateFailed(event);
        break;
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed': {
        const key = `${event.type[0].toLowerCase()}${event.type.slice(1)}`;
        this.add(event.type, `${key}EventDetails`, {
          name: event.parentState?.name,
          index: event.index,
        });
        break;
      }
      default:
        // StateRetried and StateCaught have no event of their own in AWS:
        // the next TaskScheduled or the state's exit shows them.
        break;
    }
  }

  private stateEntered(state: NonNullable<LibraryEvent['state']>) {
    const info = this.states.get(state.name);
    const type = info?.type ?? state.type;
    this.openStates.set(state.name, type);
    this.failuresInVisit.set(state.name, 0);
    this.add(`${type}StateEntered`, 'stateEnteredEventDetails', {
      name: state.name,
      input: JSON.stringify(state.input ?? null),
      inputDetails: { truncated: false },
    });

    if (type === 'Map') {
      this.add('MapStateStarted', 'mapStateStartedEventDetails', {
        length: mapLength(info?.state, state.input),
      });
    } else if (type === 'Parallel') {
      this.add('ParallelStateStarted');
    }
  }

  private stateExited(state: NonNullable<LibraryEvent['state']>) {
    const type = this.states.get(state.name)?.type ?? state.type;
    this.openStates.delete(state.name);
    if (type === 'Map' || type === 'Parallel') {
      this.add(`${type}StateSucceeded`);
    }
    this.add(`${type}StateExited`, 'stateExitedEventDetails', {
      name: state.name,
      output: JSON.stringify(state.output ?? null),
      outputDetails: { truncated: false },
    });
  }

  private stateFailed(event: LibraryEvent) {
    const name = event.state!.name;
    const info = this.states.get(name);
    this.failuresInVisit.set(name, this.failureCount(name) + 1);

    if (info?.type === 'Map' || info?.type === 'Parallel') {
      this.add(`${info.type}StateFailed`);
    } else if (info?.type === 'Task' && event.Error === 'States.Timeout') {
      this.add('TaskTimedOut', 'taskTimedOutEventDetails', {
        ...splitResource(info.state.Resource),
        error: event.Error,
        cause: causeText(event.Cause),
      });
    }
  }

  private add(type: string, detailsKey?: string, details?: object) {
    if (this.ended) {
      return;
    }
    const id = this.events.length + 1;
    const event: HistoryEvent = {
      id,
      previousEventId: id - 1,
      timestamp: Date.now() / 1000,
      type,
    };
    if (detailsKey && details) {
      event[detailsKey] = dropUndefined(details);
    }
    this.events.push(event);
    this.onEvent();
  }
}

/** Converts a library error cause to text: the cause string or its JSON. */
export function causeText(cause: unknown): string {
  if (typeof cause === 'string') {
    return cause;
  }
  if (cause instanceof Error) {
    return cause.message;
  }
  return cause === undefined ? '' : JSON.stringify(cause);
}

function mapLength(state: any, input: unknown): number | undefined {
  try {
    let items = input;
    for (const path of [state?.InputPath, state?.ItemsPath]) {
      if (typeof path === 'string' && path !== '$') {
        items = JSONPath({ path, json: items as object, wrap: false });
      }
    }
    return Array.isArray(items) ? items.length : undefined;
  } catch {
    return undefined;
  }
}

function dropUndefined(details: object): object {
  return Object.fromEntries(
    Object.entries(details).filter(([, value]) => value !== undefined),
  );
}
