import { AwsServiceError } from '../core/errors';
import type { ExecutionRecord, StateMachineRecord, Tag } from './types';

/** Epoch milliseconds as the wire's epoch seconds. */
export function seconds(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : ms / 1000;
}

/** Returns a required string field of a request; throws `ValidationException`. */
export function requireString(
  input: Record<string, unknown>,
  field: string,
): string {
  const value = input[field];
  if (typeof value !== 'string' || value === '') {
    throw new AwsServiceError(
      'ValidationException',
      `1 validation error detected: Value ${JSON.stringify(
        value ?? null,
      )} at '${field}' failed to satisfy constraint: Member must be a non-empty string`,
    );
  }
  return value;
}

/** Returns the `maxResults` of a list request: 1 to 1000, 100 when absent or 0. */
export function pageSize(input: Record<string, unknown>): number {
  const value = input.maxResults;
  if (value === undefined || value === null || value === 0) {
    return 100;
  }
  if (
    !Number.isInteger(value) ||
    (value as number) < 0 ||
    (value as number) > 1000
  ) {
    throw new AwsServiceError(
      'ValidationException',
      `1 validation error detected: Value ${JSON.stringify(
        value,
      )} at 'maxResults' failed to satisfy constraint: Member must be an integer from 0 to 1000`,
    );
  }
  return value as number;
}

/** Encodes a paging position as an opaque `nextToken`. */
export function encodeToken(kind: string, position: string | number): string {
  return Buffer.from(JSON.stringify({ kind, position })).toString('base64url');
}

/**
 * Returns the position inside a `nextToken`, or undefined without a token.
 * Throws `InvalidToken` when the token was not made by the same operation.
 */
export function decodeToken(
  input: Record<string, unknown>,
  kind: string,
): string | number | undefined {
  const token = input.nextToken;
  if (token === undefined || token === null || token === '') {
    return undefined;
  }
  try {
    const decoded = JSON.parse(
      Buffer.from(String(token), 'base64url').toString('utf8'),
    );
    if (decoded?.kind === kind) {
      return decoded.position;
    }
  } catch {
    // Reported below.
  }
  throw new AwsServiceError(
    'InvalidToken',
    `Invalid Token: '${String(token)}' is not a nextToken of ${kind}; pass ` +
      'the nextToken from the previous page of the same request',
  );
}

/** Tags in the Step Functions shape, from CloudFormation or API shapes. */
export function normalizeTags(tags: unknown): Tag[] {
  if (Array.isArray(tags)) {
    return tags.map(tag => ({
      key: String(tag.key ?? tag.Key),
      value: String(tag.value ?? tag.Value ?? ''),
    }));
  }
  if (tags && typeof tags === 'object') {
    return Object.entries(tags).map(([key, value]) => ({
      key,
      value: String(value),
    }));
  }
  return [];
}

export function describeStateMachine(machine: StateMachineRecord) {
  return {
    stateMachineArn: machine.stateMachineArn,
    name: machine.name,
    status: machine.status,
    definition: machine.definition,
    roleArn: machine.roleArn,
    type: machine.type,
    creationDate: seconds(machine.creationDate),
    description: machine.description,
    revisionId: machine.revisionId,
    loggingConfiguration: machine.loggingConfiguration ?? {
      level: 'OFF',
      includeExecutionData: false,
    },
    tracingConfiguration: machine.tracingConfiguration ?? { enabled: false },
  };
}

export function executionListItem(record: ExecutionRecord) {
  return {
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: seconds(record.startDate),
    stopDate: seconds(record.stopDate),
  };
}

export function describeExecution(record: ExecutionRecord) {
  return {
    ...executionListItem(record),
    input: record.input,
    inputDetails: { included: true },
    output: record.output,
    outputDetails: record.output === undefined ? undefined : { included: true },
    error: record.error,
    cause: record.cause,
  };
}

/**
 * The result of a `states:startExecution.sync` Task, as AWS returns it:
 * PascalCase fields, dates in epoch milliseconds, and for `.sync:2` the
 * input and output parsed from JSON.
 */
export function syncTaskResult(record: ExecutionRecord, parseJson: boolean) {
  const json = (text: string | undefined) =>
    parseJson && text !== undefined ? JSON.parse(text) : text;
  return dropUndefined({
    ExecutionArn: record.executionArn,
    StateMachineArn: record.stateMachineArn,
    Name: record.name,
    Status: record.status,
    StartDate: record.startDate,
    StopDate: record.stopDate,
    Input: json(record.input),
    InputDetails: { Included: true },
    Output: json(record.output),
    OutputDetails: record.output === undefined ? undefined : { Included: true },
    Error: record.error,
    Cause: record.cause,
  });
}

/** Copies `value` without its undefined fields, for compact replies. */
export function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, field]) => field !== undefined),
  ) as T;
}
