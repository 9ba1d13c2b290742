import type { RequestContext } from '../core/types';

/** Context of a Task state's call, besides its resource and parameters. */
export interface TaskContext extends RequestContext {
  executionArn: string;
  stateMachineArn: string;
  /** Name of the Task state that makes the call. */
  stateName: string;
}

/**
 * Runs the Task states of sandbox executions against the local services.
 *
 * `resource` is the Task's `Resource` (for example
 * `arn:aws:states:::aws-sdk:forecast:createDatasetGroup`) and `parameters`
 * the state's effective input after `InputPath` and `Parameters`. The result
 * becomes the Task result. A thrown error fails the Task with the error's
 * `name` (for example `Forecast.ResourceAlreadyExistsException`) and its
 * message as the cause, so `Retry` and `Catch` match on that name.
 */
export interface TaskDispatcher {
  invoke(
    resource: string,
    parameters: unknown,
    context: TaskContext,
  ): Promise<unknown>;
}

/** Status of an execution, as the Step Functions API spells it. */
export type ExecutionStatus =
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'TIMED_OUT'
  | 'ABORTED';

/** A key and value pair in the Step Functions tag shape. */
export interface Tag {
  key: string;
  value: string;
}

/** A definition and role of a state machine as it was at one revision. */
export interface StateMachineRevision {
  definition: string;
  roleArn: string;
  updateDate: number;
}

/** A stored state machine. Dates are epoch milliseconds. */
export interface StateMachineRecord {
  stateMachineArn: string;
  name: string;
  type: 'STANDARD' | 'EXPRESS';
  status: 'ACTIVE' | 'DELETING';
  definition: string;
  roleArn: string;
  creationDate: number;
  updateDate?: number;
  revisionId: string;
  description?: string;
  tags: Tag[];
  loggingConfiguration?: Record<string, unknown>;
  tracingConfiguration?: Record<string, unknown>;
  /**
   * Earlier revisions that executions still refer to, keyed by revision id,
   * so DescribeStateMachineForExecution returns the definition a run used.
   */
  previousRevisions?: Record<string, StateMachineRevision>;
}

/**
 * A stored execution summary: everything except the history. Dates are epoch
 * milliseconds; `input` and `output` are JSON text as the API returns them.
 */
export interface ExecutionRecord {
  /** Sortable unique id; names the history file. */
  id: string;
  /** Start order across the service, for newest-first paging. */
  sequence: number;
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  revisionId: string;
  /** The execution whose `states:startExecution` Task started this one. */
  parentExecutionArn?: string;
}

/**
 * One event of an execution history in the API's wire shape: `timestamp` in
 * epoch seconds, the details under the key the API uses for the event type
 * (for example `taskFailedEventDetails`).
 */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  [details: string]: unknown;
}
