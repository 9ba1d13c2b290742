import './polyfill';
import { randomUUID } from 'node:crypto';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
} from 'aws-local-stepfunctions';
import { JSONPath } from 'jsonpath-plus';
import type { SandboxLogger } from '../core/types';
import {
  collectStates,
  DYNAMIC_WAIT_RESOURCE,
  prepareForRun,
  type JsonObject,
  type StateInfo,
} from './definition';
import {
  causeText,
  HistoryRecorder,
  type LibraryEvent,
} from './HistoryRecorder';
import type {
  ExecutionRecord,
  ExecutionStatus,
  TaskContext,
  TaskDispatcher,
} from './types';

const START_EXECUTION_RESOURCE =
  /^arn:aws[\w-]*:states:::states:startExecution(\.sync(:2)?)?$/;

/** The end state of an execution. */
export interface ExecutionOutcome {
  status: Exclude<ExecutionStatus, 'RUNNING'>;
  output?: string;
  error?: string;
  cause?: string;
}

/** The reason and status of a stop before the end. */
export interface StopRequest {
  status: 'ABORTED' | 'FAILED';
  error?: string;
  cause?: string;
}

/** Dependencies of an {@link ExecutionRun} on the service around it. */
export interface ExecutionRunOptions {
  record: ExecutionRecord;
  definition: JsonObject;
  roleArn: string;
  stateMachineName: string;
  accountId: string;
  region: string;
  dispatcher: TaskDispatcher;
  /** Wait states and Retry intervals last this many times less. */
  waitCompression: number;
  /** Runs a `states:startExecution` Task in the same service. */
  startExecutionTask(
    resource: string,
    parameters: unknown,
    parent: ExecutionRun,
  ): Promise<unknown>;
  /** Called after each history event, to persist it. */
  onHistoryEvent(): void;
  logger?: SandboxLogger;
}

/**
 * One execution of a state machine, run by aws-local-stepfunctions. Every
 * Task state goes to the TaskDispatcher (or, for `states:startExecution`,
 * back to the service), Wait states and Retry intervals are divided by the
 * wait compression, and the library's event log becomes the AWS history.
 */
export class ExecutionRun {
  readonly recorder: HistoryRecorder;
  /** ARNs of executions started by this one's Tasks and still tracked. */
  readonly children = new Set<string>();
  private readonly states: Map<string, StateInfo>;
  private readonly runnable: JsonObject;
  private readonly sleeps = new AbortController();
  private stopRequest?: StopRequest;
  private abortLibrary?: () => void;

  constructor(private readonly options: ExecutionRunOptions) {
    this.states = collectStates(options.definition);
    this.runnable = prepareForRun(options.definition);
    this.recorder = new HistoryRecorder(this.states, options.onHistoryEvent);
  }

  get executionArn(): string {
    return this.options.record.executionArn;
  }

  get stateMachineArn(): string {
    return this.options.record.stateMachineArn;
  }

  /** Id of the execution record, which names its history file. */
  get recordId(): string {
    return this.options.record.id;
  }

  get accountId(): string {
    return this.options.accountId;
  }

  get region(): string {
    return this.options.region;
  }

  /** Runs the execution to its end; never rejects. */
  async run(): Promise<ExecutionOutcome> {
    const { record, roleArn } = this.options;
    this.recorder.executionStarted(record.input, roleArn);

    let outcome: ExecutionOutcome;
    try {
      outcome = await this.runLibrary();
    } catch (error) {
      // Anything the library raises outside a state, such as a definition
      // it cannot run, fails the execution instead of leaving it RUNNING.
      outcome = {
        status: 'FAILED',
        error: 'States.Runtime',
        cause: `The sandbox could not run the execution: ${
          (error as Error).message
        }`,
      };
    }

    const endType = {
      SUCCEEDED: 'ExecutionSucceeded',
      FAILED: 'ExecutionFailed',
      ABORTED: 'ExecutionAborted',
      TIMED_OUT: 'ExecutionTimedOut',
    } as const;
    this.recorder.executionEnded(endType[outcome.status], outcome);
    return outcome;
  }

  /** Stops the execution; the outcome of {@link run} then reflects `request`. */
  stop(request: StopRequest) {
    if (this.stopRequest) {
      return;
    }
    this.stopRequest = request;
    this.sleeps.abort();
    this.abortLibrary?.();
  }

  private async runLibrary(): Promise<ExecutionOutcome> {
    const { record, stateMachineName, roleArn } = this.options;
    const machine = new StateMachine(this.runnable as any, {
      validationOptions: { noValidate: true },
    });
    const execution = machine.run(JSON.parse(record.input), {
      overrides: {
        taskResourceLocalHandlers: this.taskHandlers(),
        waitTimeOverrides: this.waitOverrides(),
        retryIntervalOverrides: this.retryOverrides(),
      },
      context: this.contextObject(),
    });
    this.abortLibrary = execution.abort;
    if (this.stopRequest) {
      execution.abort();
    }

    const consumeEvents = (async () => {
      for await (const event of execution.eventLogs) {
        if (event.type === 'StateRetried') {
          this.options.logger?.info(
            `Retrying state ${event.state.name} of ${record.executionArn} ` +
              `(retry ${event.retry.attempt} of ${
                event.retry.retrier.MaxAttempts ?? 3
              })`,
          );
        }
        if (!event.type.startsWith('Execution')) {
          this.recorder.record(event as LibraryEvent);
        }
      }
    })();

    let outcome: ExecutionOutcome;
    try {
      const output = await execution.result;
      outcome = { status: 'SUCCEEDED', output: JSON.stringify(output) };
    } catch (error) {
      outcome = this.failureOutcome(error);
    }

    // The log closes with the execution's last event, dispatched before the
    // result settles; the timeout only guards against a log left open.
    await Promise.race([consumeEvents, sleep(1000)]);
    this.options.logger?.debug(
      `Execution ${record.executionArn} of ${stateMachineName} (role ${roleArn}) ended ${outcome.status}`,
    );
    return outcome;
  }

  private failureOutcome(error: unknown): ExecutionOutcome {
    if (error instanceof ExecutionAbortedError || this.stopRequest) {
      const request = this.stopRequest ?? { status: 'ABORTED' as const };
      return {
        status: request.status,
        error: request.error,
        cause: request.cause,
      };
    }
    if (error instanceof ExecutionTimeoutError) {
      return {
        status: 'TIMED_OUT',
        error: 'States.Timeout',
        cause: `The execution ran longer than its TimeoutSeconds (${this.options.definition.TimeoutSeconds} seconds)`,
      };
    }
    const inner =
      error instanceof ExecutionError ? (error.cause as Error) : error;
    if (inner instanceof Error) {
      return {
        status: 'FAILED',
        error: inner.name,
        cause: causeText(inner.cause ?? inner.message),
      };
    }
    return { status: 'FAILED', error: 'States.Runtime', cause: String(inner) };
  }

  private contextObject() {
    const { record, stateMachineName, roleArn } = this.options;
    return {
      Execution: {
        Id: record.executionArn,
        Name: record.name,
        RoleArn: roleArn,
        StartTime: new Date(record.startDate).toISOString(),
        Input: JSON.parse(record.input),
      },
      StateMachine: { Id: record.stateMachineArn, Name: stateMachineName },
    };
  }

  private taskHandlers() {
    const handlers: Record<string, (input: any) => Promise<any>> = {};
    const prepared = collectStates(this.runnable);
    for (const [name, { type, state }] of prepared) {
      if (type === 'Task') {
        handlers[name] = input => this.runTask(name, state.Resource, input);
      }
    }
    return handlers;
  }

  private async runTask(
    stateName: string,
    resource: string,
    parameters: unknown,
  ): Promise<unknown> {
    // Lets the history take in the library's events up to this state first.
    await nextTurn();
    if (resource === DYNAMIC_WAIT_RESOURCE) {
      return this.waitFromInput(stateName, parameters);
    }

    const timeout = this.states.get(stateName)?.state.TimeoutSeconds;
    this.recorder.taskScheduled(
      resource,
      parameters,
      this.options.region,
      timeout,
    );
    try {
      const result = START_EXECUTION_RESOURCE.test(resource)
        ? await this.options.startExecutionTask(resource, parameters, this)
        : await this.options.dispatcher.invoke(
            resource,
            parameters,
            this.taskContext(stateName),
          );
      await nextTurn();
      this.recorder.taskSucceeded(resource, result);
      return result === undefined ? {} : result;
    } catch (error) {
      const failure = taskError(error);
      this.options.logger?.debug(
        `Task ${stateName} of ${this.executionArn} failed: ${failure.name}: ${failure.message}`,
      );
      await nextTurn();
      this.recorder.taskFailed(resource, failure.name, failure.message);
      throw failure;
    }
  }

  private taskContext(stateName: string): TaskContext {
    return {
      accountId: this.options.accountId,
      region: this.options.region,
      requestId: randomUUID(),
      executionArn: this.executionArn,
      stateMachineArn: this.options.record.stateMachineArn,
      stateName,
    };
  }

  private async waitFromInput(stateName: string, input: unknown) {
    const state = this.states.get(stateName)!.state;
    const path: string = state.SecondsPath ?? state.TimestampPath;
    const value = path.startsWith('$$')
      ? JSONPath({
          path: path.slice(1),
          json: this.contextObject(),
          wrap: false,
        })
      : JSONPath({ path, json: input as object, wrap: false });

    let seconds: number;
    if (state.SecondsPath !== undefined) {
      if (!Number.isInteger(value) || (value as number) < 0) {
        throw runtimeError(
          `Wait state ${stateName}: SecondsPath ${path} must point to a ` +
            `non-negative integer, but it points to ${JSON.stringify(value)}`,
        );
      }
      seconds = value as number;
    } else {
      const time = typeof value === 'string' ? Date.parse(value) : NaN;
      if (Number.isNaN(time)) {
        throw runtimeError(
          `Wait state ${stateName}: TimestampPath ${path} must point to an ` +
            `ISO 8601 timestamp, but it points to ${JSON.stringify(value)}`,
        );
      }
      seconds = Math.max(0, (time - Date.now()) / 1000);
    }
    await sleep(this.compress(seconds), this.sleeps.signal);
    return input;
  }

  private waitOverrides(): Record<string, number> {
    const overrides: Record<string, number> = {};
    for (const [name, { type, state }] of this.states) {
      if (type !== 'Wait') {
        continue;
      }
      if (typeof state.Seconds === 'number') {
        overrides[name] = this.compress(state.Seconds);
      } else if (typeof state.Timestamp === 'string') {
        // Read when the state runs, so the remaining time is current.
        Object.defineProperty(overrides, name, {
          enumerable: true,
          get: () =>
            this.compress(
              Math.max(0, (Date.parse(state.Timestamp) - Date.now()) / 1000),
            ),
        });
      }
    }
    return overrides;
  }

  private retryOverrides(): Record<string, number[]> {
    const overrides: Record<string, number[]> = {};
    for (const [name, { state }] of this.states) {
      if (!Array.isArray(state.Retry)) {
        continue;
      }
      // Read right after a failure: the failures recorded before it in this
      // visit of the state are the attempt number the backoff applies to.
      Object.defineProperty(overrides, name, {
        enumerable: true,
        get: () => {
          const attempt = this.recorder.failureCount(name);
          return state.Retry.map((retrier: JsonObject) => {
            const seconds = Math.min(
              (retrier.IntervalSeconds ?? 1) *
                (retrier.BackoffRate ?? 2) ** attempt,
              retrier.MaxDelaySeconds ?? Infinity,
            );
            const jitter =
              retrier.JitterStrategy === 'FULL' ? Math.random() : 1;
            return this.compress(seconds * jitter);
          });
        },
      });
    }
    return overrides;
  }

  private compress(seconds: number): number {
    return (seconds * 1000) / this.options.waitCompression;
  }
}

/** Converts `error` to an Error named with its Step Functions error name. */
function taskError(error: unknown): Error {
  const source = error instanceof Error ? error : new Error(String(error));
  const failure = new Error(source.message);
  // A nameless JavaScript error is what AWS reports as States.TaskFailed.
  failure.name =
    source.name && source.name !== 'Error' ? source.name : 'States.TaskFailed';
  return failure;
}

function runtimeError(message: string): Error {
  const error = new Error(message);
  error.name = 'States.Runtime';
  return error;
}

function nextTurn(): Promise<void> {
  return new Promise(resolve => setImmediate(resolve));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Error('Execution stopped'));
      return;
    }
    const timer = setTimeout(resolve, ms);
    timer.unref?.();
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new Error('Execution stopped'));
      },
      { once: true },
    );
  });
}
