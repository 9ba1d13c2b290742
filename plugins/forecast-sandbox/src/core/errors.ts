/**
 * An error a sandbox service returns to the client. Each protocol adapter
 * turns it into that protocol's error shape, so the AWS SDK raises the
 * exception class named by `code` (for example `ResourceNotFoundException`).
 */
export class AwsServiceError extends Error {
  constructor(
    /** The AWS error code, for example `ValidationError` or `NoSuchKey`. */
    readonly code: string,
    message: string,
    /** HTTP status of the reply; AWS uses 400 for most client errors. */
    readonly statusCode: number = 400,
    /** `Sender` for a client error, `Receiver` for a service fault. */
    readonly fault: 'Sender' | 'Receiver' = statusCode >= 500
      ? 'Receiver'
      : 'Sender',
  ) {
    super(message);
    this.name = code;
  }
}

/** Whether a value is an {@link AwsServiceError}. */
export function isAwsServiceError(error: unknown): error is AwsServiceError {
  return error instanceof AwsServiceError;
}
