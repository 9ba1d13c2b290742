import {
  ConflictError,
  CustomErrorBase,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
]);

const ACCESS_DENIED_CODES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
]);

const NOT_FOUND_CODES = new Set([
  'ResourceNotFoundException',
  'ExecutionDoesNotExist',
  'StateMachineDoesNotExist',
  'NoSuchKey',
  'NoSuchBucket',
  'NotFound',
  'StackNotFoundException',
]);

const INVALID_INPUT_CODES = new Set([
  'InvalidArn',
  'InvalidToken',
  'InvalidNextToken',
  'InvalidNextTokenException',
  'InvalidExecutionInput',
  'InvalidName',
  'InvalidInputException',
  'ValidationException',
]);

const CONFLICT_CODES = new Set([
  'ExecutionAlreadyExists',
  'ResourceInUseException',
  'ResourceAlreadyExistsException',
]);

interface AwsErrorShape {
  name?: string;
  message?: string;
  Code?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
}

function errorCode(error: unknown): string {
  const shape = (error ?? {}) as AwsErrorShape;
  return shape.Code ?? shape.name ?? shape.code ?? 'Error';
}

function httpStatus(error: unknown): number | undefined {
  return ((error ?? {}) as AwsErrorShape).$metadata?.httpStatusCode;
}

/** Whether an AWS SDK error, or the cause of a mapped one, is throttling. */
export function isThrottlingError(error: unknown): boolean {
  if (error instanceof CustomErrorBase && error.cause) {
    return isThrottlingError(error.cause);
  }
  return THROTTLING_CODES.has(errorCode(error)) || httpStatus(error) === 429;
}

/** Whether an error came from an AWS SDK client rather than from our code. */
function isAwsError(error: unknown): boolean {
  const shape = (error ?? {}) as AwsErrorShape;
  return shape.$fault !== undefined || shape.$metadata !== undefined;
}

/**
 * Turns an AWS SDK error into the matching `@backstage/errors` type, so the
 * error handler responds with 400, 403, 404, 409 or 503 and never 500 for an AWS
 * client error. `action` names the call and its target, for example
 * `ListExecutions on arn:aws:states:...`. Errors that are already Backstage
 * errors pass through unchanged.
 */
export function toBackstageError(error: unknown, action: string): Error {
  if (error instanceof CustomErrorBase) {
    return error;
  }

  const code = errorCode(error);
  const message =
    (error as AwsErrorShape | undefined)?.message ?? String(error);
  const detail = `${action} failed with ${code}: ${message}`;

  if (isThrottlingError(error)) {
    return new ServiceUnavailableError(
      `${detail}. AWS is throttling requests; try again in a few seconds.`,
      error,
    );
  }
  if (ACCESS_DENIED_CODES.has(code) || httpStatus(error) === 403) {
    return new NotAllowedError(
      `${detail}. The backend's AWS credentials lack this permission; see the IAM policy in the forecast-backend README.`,
      error,
    );
  }
  if (NOT_FOUND_CODES.has(code) || /does not exist/i.test(message)) {
    return new NotFoundError(detail, error);
  }
  if (CONFLICT_CODES.has(code)) {
    return new ConflictError(detail, error);
  }
  if (INVALID_INPUT_CODES.has(code)) {
    return new InputError(detail, error);
  }
  if (isAwsError(error)) {
    return new ServiceUnavailableError(detail, error);
  }

  const networkCode = (error as { code?: string } | undefined)?.code;
  if (networkCode && /^E[A-Z]+$/.test(networkCode)) {
    return new ServiceUnavailableError(
      `${action} failed: cannot reach the AWS endpoint (${networkCode}). Check forecast.aws.endpoint or the network.`,
      error,
    );
  }
  return error instanceof Error ? error : new Error(detail);
}

/**
 * Runs one AWS call and maps its failure with {@link toBackstageError}.
 */
export async function callAws<T>(
  action: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toBackstageError(error, action);
  }
}
