import { ResponseError } from '@backstage/errors';

/**
 * Returns the message to headline an error with. For a backend response it
 * is the backend's own message and status, because `ResponseError.message`
 * only says `Request failed with <status>`.
 */
export function describeError(error: Error): string {
  if (error instanceof ResponseError || error.name === 'ResponseError') {
    const responseError = error as ResponseError;
    const status = responseError.response?.status;
    const message = responseError.cause?.message || responseError.message;
    return status ? `${message} (HTTP ${status})` : message;
  }
  return error.message;
}
