import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { AwsServiceError } from '../core/errors';
import type { SandboxLogger } from '../core/types';
import { ExecutionRun, type ExecutionOutcome } from './ExecutionRunner';
import type { ExecutionStore } from './ExecutionStore';
import { isTerminalEvent } from './HistoryRecorder';
import { checkName, executionArn, parseExecutionArn } from './names';
import type {
  ExecutionRecord,
  HistoryEvent,
  StateMachineRecord,
  TaskDispatcher,
} from './types';
import { syncTaskResult } from './wire';

// AWS rejects execution input larger than 256 KiB.
const MAX_INPUT_BYTES = 262144;

/** The execution that starts another one, for `states:startExecution`. */
export interface ParentExecution {
  executionArn: string;
  accountId: string;
  region: string;
}

interface LiveRun {
  run: ExecutionRun;
  done: Promise<ExecutionRecord>;
  flushedEvents: number;
}

/**
 * Starts, stops and tracks executions: the live runs in memory, their
 * summaries and histories in the {@link ExecutionStore}.
 */
export class ExecutionManager {
  private readonly live = new Map<string, LiveRun>();
  private readonly unflushed = new Set<LiveRun>();
  private flushScheduled = false;
  private closed = false;

  constructor(
    private readonly store: ExecutionStore,
    private readonly options: {
      dispatcher: TaskDispatcher;
      waitCompression: number;
      logger?: SandboxLogger;
      /** The state machine of an ARN; throws `StateMachineDoesNotExist`. */
      findMachine(arn: unknown): StateMachineRecord;
      /** Called when the last run of a state machine ends. */
      onMachineIdle(stateMachineArn: string): void;
    },
  ) {}

  /**
   * Starts an execution. A request that repeats a running execution's name
   * and input returns that execution, as AWS does.
   */
  start(
    machine: StateMachineRecord,
    request: { name?: unknown; input?: unknown },
    context: { accountId: string; region: string },
    parentExecutionArn?: string,
  ): ExecutionRecord {
    const name =
      request.name === undefined || request.name === null
        ? randomUUID()
        : String(request.name);
    checkName('execution', name);
    const input = checkInput(request.input);
    if (machine.status === 'DELETING') {
      throw new AwsServiceError(
        'StateMachineDeleting',
        `State Machine is being deleted: '${machine.stateMachineArn}'`,
      );
    }

    const arn = executionArn(machine.stateMachineArn, name);
    const existing = this.store.get(arn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === input) {
        return existing;
      }
      throw new AwsServiceError(
        'ExecutionAlreadyExists',
        `Execution Already Exists: '${arn}'; execution names must be unique ` +
          'per state machine, so start it with another name',
      );
    }

    const record: ExecutionRecord = {
      id: ulid(),
      sequence: this.store.takeSequence(),
      executionArn: arn,
      stateMachineArn: machine.stateMachineArn,
      name,
      status: 'RUNNING',
      startDate: Date.now(),
      input,
      revisionId: machine.revisionId,
      parentExecutionArn,
    };
    this.store.put(record);
    this.launch(record, machine, context);
    this.options.logger?.info(
      `Started execution ${arn}${
        parentExecutionArn ? ` from ${parentExecutionArn}` : ''
      }`,
    );
    return record;
  }

  /** Stops a running execution; returns the execution as stored. */
  stop(
    arn: string,
    request: { status: 'ABORTED' | 'FAILED'; error?: string; cause?: string },
  ): Promise<ExecutionRecord> | ExecutionRecord {
    const live = this.live.get(arn);
    if (!live) {
      return this.require(arn);
    }
    live.run.stop(request);
    for (const child of live.run.children) {
      this.stop(child, {
        status: 'ABORTED',
        error: request.error,
        cause: `The parent execution ${arn} was stopped`,
      });
    }
    return live.done;
  }

  /** Stops every running execution of a state machine. */
  stopAllOf(stateMachineArn: string, error: string, cause: string) {
    for (const [arn, live] of this.live) {
      if (live.run.stateMachineArn === stateMachineArn) {
        this.stop(arn, { status: 'FAILED', error, cause });
      }
    }
  }

  isRunningAny(stateMachineArn: string): boolean {
    return [...this.live.values()].some(
      live => live.run.stateMachineArn === stateMachineArn,
    );
  }

  /** Revision ids that executions of a state machine ran with. */
  revisionsInUse(stateMachineArn: string): string[] {
    return this.store
      .listForMachine(stateMachineArn)
      .map(record => record.revisionId);
  }

  /**
   * Up to `limit` executions of a state machine, newest first, started
   * before the execution numbered `beforeSequence` when it is given.
   */
  listNewestFirst(
    stateMachineArn: string,
    query: { beforeSequence?: number; status?: string; limit: number },
  ): ExecutionRecord[] {
    const records = this.store.listForMachine(stateMachineArn);
    let index = records.length - 1;
    if (query.beforeSequence !== undefined) {
      // Records are in sequence order: find the first one before the cursor.
      let low = 0;
      let high = records.length;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (records[middle].sequence < query.beforeSequence) {
          low = middle + 1;
        } else {
          high = middle;
        }
      }
      index = low - 1;
    }

    const page: ExecutionRecord[] = [];
    for (; index >= 0 && page.length < query.limit; index--) {
      if (!query.status || records[index].status === query.status) {
        page.push(records[index]);
      }
    }
    return page;
  }

  /** Forgets every execution of a state machine and its history. */
  removeAllOf(stateMachineArn: string) {
    for (const record of [...this.store.listForMachine(stateMachineArn)]) {
      this.store.remove(record.executionArn);
    }
  }

  /** Returns the stored execution; throws `ExecutionDoesNotExist`. */
  require(arn: unknown): ExecutionRecord {
    parseExecutionArn(arn);
    const record = this.store.get(arn as string);
    if (!record) {
      throw new AwsServiceError(
        'ExecutionDoesNotExist',
        `Execution Does Not Exist: '${arn}'`,
      );
    }
    return record;
  }

  /** Returns every event of an execution so far. */
  history(record: ExecutionRecord): HistoryEvent[] {
    const live = this.live.get(record.executionArn);
    return live ? live.run.recorder.events : this.store.readHistory(record.id);
  }

  /**
   * Runs a `states:startExecution`, `.sync` or `.sync:2` Task: starts the
   * child execution in this service and, for `.sync`, waits for its end.
   */
  async runStartExecutionTask(
    resource: string,
    parameters: unknown,
    parent: ParentExecution,
  ): Promise<unknown> {
    const request = (parameters ?? {}) as Record<string, unknown>;
    let child: ExecutionRecord;
    try {
      const machine = this.options.findMachine(request.StateMachineArn);
      const input =
        request.Input === undefined || typeof request.Input === 'string'
          ? request.Input
          : JSON.stringify(request.Input);
      child = this.start(
        machine,
        { name: request.Name, input },
        parent,
        parent.executionArn,
      );
    } catch (error) {
      throw integrationError(error);
    }

    if (!resource.includes('.sync')) {
      return { ExecutionArn: child.executionArn, StartDate: child.startDate };
    }
    const parentRun = this.live.get(parent.executionArn)?.run;
    parentRun?.children.add(child.executionArn);
    const ended = await (this.live.get(child.executionArn)?.done ?? child);
    parentRun?.children.delete(child.executionArn);

    const result = syncTaskResult(ended, resource.endsWith(':2'));
    if (ended.status !== 'SUCCEEDED') {
      const failure = new Error(JSON.stringify(result));
      failure.name = 'States.TaskFailed';
      throw failure;
    }
    return result;
  }

  /**
   * Ends executions a previous process left RUNNING: one whose history
   * already ends takes the status of its last event, any other one FAILS
   * with `Sandbox.Restarted`.
   */
  recover() {
    for (const record of this.store.running()) {
      if (this.live.has(record.executionArn)) {
        continue;
      }
      const events = this.store.readHistory(record.id);
      const last = events[events.length - 1];
      const ended = last && isTerminalEvent(last) ? last : undefined;
      const outcome = ended
        ? outcomeOf(ended)
        : {
            status: 'FAILED' as const,
            error: 'Sandbox.Restarted',
            cause:
              'The sandbox restarted while this execution was running, so ' +
              'it was stopped; start it again',
          };
      if (!ended) {
        const id = events.length + 1;
        events.push({
          id,
          previousEventId: id - 1,
          timestamp: Date.now() / 1000,
          type: 'ExecutionFailed',
          executionFailedEventDetails: {
            error: outcome.error,
            cause: outcome.cause,
          },
        });
      }
      this.store.writeHistory(record.id, events);
      this.store.put({
        ...record,
        ...outcome,
        stopDate: ended ? ended.timestamp * 1000 : Date.now(),
      });
      this.options.logger?.warn(
        `Execution ${record.executionArn} was RUNNING when the sandbox stopped; now ${outcome.status}`,
      );
    }
  }

  /**
   * Stops the runs without recording an end, as a killed process would, so
   * the next {@link recover} reports them as interrupted.
   */
  close() {
    this.flush();
    this.closed = true;
    for (const live of this.live.values()) {
      live.run.stop({ status: 'ABORTED' });
    }
    this.live.clear();
  }

  private launch(
    record: ExecutionRecord,
    machine: StateMachineRecord,
    context: { accountId: string; region: string },
  ) {
    const revision = machine.previousRevisions?.[record.revisionId] ?? machine;
    const live = { flushedEvents: 0 } as LiveRun;
    live.run = new ExecutionRun({
      record,
      // Validated when the state machine was created or updated.
      definition: JSON.parse(revision.definition),
      roleArn: revision.roleArn,
      stateMachineName: machine.name,
      accountId: context.accountId,
      region: context.region,
      dispatcher: this.options.dispatcher,
      waitCompression: this.options.waitCompression,
      logger: this.options.logger,
      startExecutionTask: (resource, parameters, parent) =>
        this.runStartExecutionTask(resource, parameters, {
          executionArn: parent.executionArn,
          accountId: parent.accountId,
          region: parent.region,
        }),
      onHistoryEvent: () => this.scheduleFlush(live),
    });
    this.live.set(record.executionArn, live);
    live.done = live.run
      .run()
      .catch(
        (error): ExecutionOutcome => ({
          status: 'FAILED',
          error: 'States.Runtime',
          cause: `The sandbox failed to run the execution: ${error}`,
        }),
      )
      .then(outcome => this.finish(live, record, outcome));
  }

  private finish(
    live: LiveRun,
    record: ExecutionRecord,
    outcome: ExecutionOutcome,
  ): ExecutionRecord {
    const ended: ExecutionRecord = {
      ...record,
      ...outcome,
      stopDate: Date.now(),
    };
    if (this.closed) {
      return ended;
    }
    // History first: a summary that has ended implies a complete history.
    this.flushRun(live);
    this.store.put(ended);
    this.live.delete(record.executionArn);
    this.unflushed.delete(live);

    const message = `Execution ${record.executionArn} ${outcome.status}${
      outcome.error ? `: ${outcome.error}: ${outcome.cause}` : ''
    }`;
    if (outcome.status === 'FAILED' || outcome.status === 'TIMED_OUT') {
      this.options.logger?.warn(message);
    } else {
      this.options.logger?.info(message);
    }
    if (!this.isRunningAny(record.stateMachineArn)) {
      this.options.onMachineIdle(record.stateMachineArn);
    }
    return ended;
  }

  private scheduleFlush(live: LiveRun) {
    this.unflushed.add(live);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush() {
    this.flushScheduled = false;
    for (const live of this.unflushed) {
      this.flushRun(live);
    }
    this.unflushed.clear();
  }

  private flushRun(live: LiveRun) {
    if (this.closed) {
      return;
    }
    const events = live.run.recorder.events;
    this.store.appendHistory(
      live.run.recordId,
      events.slice(live.flushedEvents),
    );
    live.flushedEvents = events.length;
  }
}

function checkInput(input: unknown): string {
  const text = input === undefined || input === null ? '{}' : String(input);
  if (Buffer.byteLength(text) > MAX_INPUT_BYTES) {
    throw new AwsServiceError(
      'InvalidExecutionInput',
      `Invalid State Machine Execution Input: the input is ${Buffer.byteLength(
        text,
      )} bytes, over the limit of ${MAX_INPUT_BYTES}`,
    );
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new AwsServiceError(
      'InvalidExecutionInput',
      `Invalid State Machine Execution Input: the input is not valid JSON (${
        (error as Error).message
      })`,
    );
  }
  return text;
}

/** Renames a service error the way Step Functions names Task errors. */
function integrationError(error: unknown): Error {
  if (!(error instanceof AwsServiceError)) {
    return error as Error;
  }
  const failure = new Error(error.message);
  failure.name = `StepFunctions.${error.code}${
    error.code.endsWith('Exception') ? '' : 'Exception'
  }`;
  return failure;
}

function outcomeOf(event: HistoryEvent): ExecutionOutcome {
  const key = `${event.type[0].toLowerCase()}${event.type.slice(
    1,
  )}EventDetails`;
  const details = (event[key] ?? {}) as Record<string, string | undefined>;
  const status = {
    ExecutionSucceeded: 'SUCCEEDED',
    ExecutionFailed: 'FAILED',
    ExecutionAborted: 'ABORTED',
    ExecutionTimedOut: 'TIMED_OUT',
  }[event.type] as ExecutionOutcome['status'];
  return status === 'SUCCEEDED'
    ? { status, output: details.output }
    : { status, error: details.error, cause: details.cause };
}
