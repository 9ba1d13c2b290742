/**
 * Recognises AWS SDK v3 errors by name. CloudFormation's `ValidationError`,
 * `Throttling` and `AccessDenied` are not modelled by the SDK, so they arrive
 * as a generic service exception whose `name` carries the code.
 */

const THROTTLING_NAMES = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
]);

const ACCESS_DENIED_NAMES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
]);

function errorName(error: unknown): string | undefined {
  if (error && typeof error === 'object' && 'name' in error) {
    const name = (error as { name: unknown }).name;
    return typeof name === 'string' ? name : undefined;
  }
  return undefined;
}

/** Returns the error's message, or the string form of a non-Error value. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}

export function isThrottlingError(error: unknown): boolean {
  return THROTTLING_NAMES.has(errorName(error) ?? '');
}

export function isAccessDeniedError(error: unknown): boolean {
  return ACCESS_DENIED_NAMES.has(errorName(error) ?? '');
}

/** Whether the error is CloudFormation's DescribeStacks reply for a stack that does not exist. */
export function isStackNotFoundError(error: unknown): boolean {
  return (
    errorName(error) === 'ValidationError' &&
    /does not exist/i.test(errorMessage(error))
  );
}

/** Whether the error is CloudFormation's UpdateStack reply when nothing changed. */
export function isNoUpdatesError(error: unknown): boolean {
  return (
    errorName(error) === 'ValidationError' &&
    /No updates are to be performed/i.test(errorMessage(error))
  );
}

/** Target of an AWS call, named in error messages. */
export interface AwsCallDescription {
  /** IAM action, for example `cloudformation:CreateStack`. */
  action: string;
  accountId: string;
  region: string;
  /** The resource the call was about, for example the stack name. */
  resource?: string;
}

/**
 * Rewrites an AWS error into one that names the call, the account and region
 * and what to do. Errors other than access denied and throttling keep their
 * message, prefixed with the call.
 */
export function explainAwsError(
  error: unknown,
  call: AwsCallDescription,
): Error {
  const where = `account ${call.accountId || '(default)'} in ${call.region}`;
  const about = call.resource ? ` for ${call.resource}` : '';
  const code = errorName(error) ?? 'Error';

  let message: string;
  if (isAccessDeniedError(error)) {
    message =
      `AWS denied ${call.action}${about} in ${where} (${code}: ${errorMessage(
        error,
      )}). ` +
      `Grant ${call.action} to the credentials the Backstage backend uses for ` +
      `this account (the aws.accounts entry in app-config.yaml), then run the template again.`;
  } else if (isThrottlingError(error)) {
    message =
      `AWS throttled ${call.action}${about} in ${where} even after the SDK's retries ` +
      `(${code}: ${errorMessage(
        error,
      )}). Wait a minute and run the template again, ` +
      `or ask for a higher API rate quota.`;
  } else {
    message = `${
      call.action
    }${about} in ${where} failed (${code}): ${errorMessage(error)}`;
  }

  const explained = new Error(message);
  explained.name = code;
  (explained as Error & { cause?: unknown }).cause = error;
  return explained;
}

/** Returns the original AWS error behind an error from {@link explainAwsError}, or the error itself. */
export function awsCause(error: unknown): unknown {
  if (error instanceof Error && 'cause' in error && error.cause !== undefined) {
    return error.cause;
  }
  return error;
}
