import type http from 'node:http';
import { handleCloudFormationAction } from './cloudformation/queryApi';
import { AwsServiceError, isAwsServiceError } from './core/errors';
import type { JsonService, RequestContext, SandboxLogger } from './core/types';
import {
  parseQueryBody,
  sendQueryError,
  sendQueryResult,
} from './protocols/awsQuery';
import { sendJsonError, serveJsonRequest } from './protocols/awsJson';
import {
  newRequestId,
  readBody,
  readSignatureScope,
  sendReply,
} from './protocols/http';
import { S3Api, sendS3Error } from './s3/S3Api';
import {
  sendRestJsonError,
  serveSchedulerRequest,
} from './scheduler/SchedulerApi';
import type { SandboxServices } from './server';

const XMLNS: Record<string, string> = {
  cloudformation: 'http://cloudformation.amazonaws.com/doc/2010-05-15/',
  sns: 'http://sns.amazonaws.com/doc/2010-03-31/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
};
const QUERY_VERSIONS: Record<string, string> = {
  '2010-05-15': 'cloudformation',
  '2010-03-31': 'sns',
  '2011-06-15': 'sts',
};
const JSON_TARGETS: Record<string, string> = {
  AWSStepFunctions: 'states',
  AmazonSSM: 'ssm',
  AmazonForecast: 'forecast',
};

/**
 * Sends each request to its service by the SigV4 signing name, falling back
 * to the `X-Amz-Target` prefix or the awsQuery `Version` for unsigned
 * requests, and sends errors in the shape of the service's protocol.
 */
export class SandboxRouter {
  private readonly s3: S3Api;

  constructor(
    private readonly services: SandboxServices,
    private readonly accountId: string,
    private readonly logger: SandboxLogger,
  ) {
    this.s3 = new S3Api(services.objects, logger.child({ service: 's3' }));
  }

  route(request: http.IncomingMessage, response: http.ServerResponse): void {
    const requestId = newRequestId();
    this.serve(request, response, requestId).catch(error => {
      this.logger.error(
        `Request ${requestId} ${request.method} ${request.url} failed: ${
          error?.stack ?? error
        }`,
      );
      if (!response.headersSent) {
        sendReply(
          response,
          500,
          { 'content-type': 'text/plain' },
          `Internal sandbox error: ${error}`,
        );
      }
    });
  }

  private async serve(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    requestId: string,
  ): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(request);
    const scope = readSignatureScope(request, url);
    const context: RequestContext = {
      accountId: this.accountId,
      region: scope?.region ?? 'us-east-1',
      requestId,
    };
    const service = scope?.service ?? this.guessService(request, url, body);
    const contentType = String(request.headers['content-type'] ?? '');

    try {
      await this.dispatch(service, request, response, url, body, context);
    } catch (error) {
      const failure = isAwsServiceError(error)
        ? error
        : new AwsServiceError(
            'InternalFailure',
            `Internal sandbox error: ${(error as Error)?.message ?? error}`,
            500,
          );
      if (!isAwsServiceError(error)) {
        this.logger.error(
          `Request ${requestId} to ${service} failed: ${
            (error as Error)?.stack ?? error
          }`,
        );
      } else {
        this.logger.debug(
          `Request ${requestId} to ${service}: ${failure.code}: ${failure.message}`,
        );
      }
      this.sendError(
        service,
        request,
        response,
        failure,
        requestId,
        contentType,
      );
    }
  }

  private dispatch(
    service: string,
    request: http.IncomingMessage,
    response: http.ServerResponse,
    url: URL,
    body: Buffer,
    context: RequestContext,
  ): Promise<void> {
    switch (service) {
      case 'cloudformation':
      case 'sns':
      case 'sts':
        return this.serveQuery(service, response, url, body, context);
      case 'states':
        return this.serveJson(
          this.services.stepFunctions,
          request,
          response,
          body,
          context,
          'application/x-amz-json-1.0',
        );
      case 'ssm':
        return this.serveJson(
          this.services.ssm,
          request,
          response,
          body,
          context,
          'application/x-amz-json-1.1',
        );
      case 'forecast':
        return this.serveJson(
          this.services.forecast,
          request,
          response,
          body,
          context,
          'application/x-amz-json-1.1',
        );
      case 'scheduler':
        return serveSchedulerRequest(
          this.services.scheduler,
          request,
          response,
          url,
          body,
          context,
        );
      case 's3':
        return this.s3.serve(request, response, url, body);
      default:
        throw new AwsServiceError(
          'UnknownService',
          `The sandbox does not serve the AWS service "${service}". It serves cloudformation, states, ssm, sns, s3, scheduler, forecast and sts.`,
        );
    }
  }

  private sendError(
    service: string,
    request: http.IncomingMessage,
    response: http.ServerResponse,
    error: AwsServiceError,
    requestId: string,
    contentType: string,
  ): void {
    switch (service) {
      case 'cloudformation':
      case 'sns':
      case 'sts':
        return sendQueryError(response, error, requestId, XMLNS[service]);
      case 's3':
        return sendS3Error(request, response, error, requestId);
      case 'scheduler':
        return sendRestJsonError(response, error, requestId);
      default:
        return sendJsonError(
          response,
          contentType || 'application/x-amz-json-1.1',
          error,
          requestId,
        );
    }
  }

  private async serveQuery(
    service: string,
    response: http.ServerResponse,
    url: URL,
    body: Buffer,
    context: RequestContext,
  ): Promise<void> {
    const fields = parseQueryBody(body, url);
    const action = fields.Action ?? '';
    let result;
    if (service === 'cloudformation') {
      result = await handleCloudFormationAction(
        this.services.cloudFormation,
        action,
        fields,
        context,
      );
    } else if (service === 'sns') {
      result = this.services.sns.handleQuery(action, fields, context);
    } else if (action === 'GetCallerIdentity') {
      result = {
        Account: context.accountId,
        Arn: `arn:aws:iam::${context.accountId}:root`,
        UserId: context.accountId,
      };
    } else {
      throw new AwsServiceError(
        'InvalidAction',
        `The sandbox's STS supports only GetCallerIdentity, not ${action}`,
      );
    }
    sendQueryResult(
      response,
      action,
      result,
      context.requestId,
      XMLNS[service],
    );
  }

  private async serveJson(
    service: JsonService,
    request: http.IncomingMessage,
    response: http.ServerResponse,
    body: Buffer,
    context: RequestContext,
    contentType: string,
  ): Promise<void> {
    const result = await serveJsonRequest(service, request, body, context);
    sendReply(
      response,
      result.status,
      { 'content-type': contentType, 'x-amzn-requestid': context.requestId },
      result.payload,
    );
  }

  private guessService(
    request: http.IncomingMessage,
    url: URL,
    body: Buffer,
  ): string {
    const target = String(request.headers['x-amz-target'] ?? '');
    if (target) {
      return JSON_TARGETS[target.split('.')[0]] ?? target;
    }
    if (
      String(request.headers['content-type'] ?? '').startsWith(
        'application/x-www-form-urlencoded',
      )
    ) {
      const version =
        new URLSearchParams(body.toString('utf8')).get('Version') ?? '';
      return QUERY_VERSIONS[version] ?? `awsQuery version ${version}`;
    }
    if (url.pathname.startsWith('/schedules')) {
      return 'scheduler';
    }
    return 's3';
  }
}
