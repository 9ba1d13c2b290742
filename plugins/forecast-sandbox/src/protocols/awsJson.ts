import type http from 'node:http';
import { AwsServiceError } from '../core/errors';
import type { JsonService, RequestContext } from '../core/types';
import { sendReply } from './http';

/**
 * Serves one awsJson1_0 / awsJson1_1 request: `X-Amz-Target: Prefix.Operation`
 * and a JSON body; returns the service's JSON result.
 */
export async function serveJsonRequest(
  service: JsonService,
  request: http.IncomingMessage,
  body: Buffer,
  context: RequestContext,
): Promise<{
  status: number;
  payload: string;
  headers: Record<string, string>;
}> {
  const target = String(request.headers['x-amz-target'] ?? '');
  const operation = target.slice(target.indexOf('.') + 1);
  if (!target.includes('.') || !operation) {
    throw new AwsServiceError(
      'UnknownOperationException',
      `Missing or malformed X-Amz-Target header "${target}": expected <Service>.<Operation>`,
    );
  }

  let input: Record<string, unknown> = {};
  if (body.length > 0) {
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch {
      throw new AwsServiceError(
        'SerializationException',
        `The request body of ${operation} is not valid JSON`,
      );
    }
  }

  const result = await service.handle(operation, input, context);
  return { status: 200, payload: JSON.stringify(result ?? {}), headers: {} };
}

/**
 * Sends an error in the awsJson shape. `x-amzn-query-error` carries the code
 * too, which query-compatible clients such as SSM read first.
 */
export function sendJsonError(
  response: http.ServerResponse,
  contentType: string,
  error: AwsServiceError,
  requestId: string,
): void {
  sendReply(
    response,
    error.statusCode,
    {
      'content-type': contentType,
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': error.code,
      'x-amzn-query-error': `${error.code};${error.fault}`,
    },
    JSON.stringify({ __type: error.code, message: error.message }),
  );
}
