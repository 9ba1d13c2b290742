import { AwsServiceError, isAwsServiceError } from '../core/errors';
import type {
  JsonService,
  ObjectStore,
  RequestContext,
  SandboxLogger,
} from '../core/types';
import { listObjectsPage } from '../s3/listObjects';
import type { SnsService } from '../sns/SnsService';
import type { SsmService } from '../ssm/SsmService';
import type { TaskContext, TaskDispatcher } from '../stepfunctions';

/** The services Task states reach. */
export interface DispatcherServices {
  ssm: SsmService;
  sns: SnsService;
  objects: ObjectStore;
  forecast: JsonService;
  logger: SandboxLogger;
}

const SDK_RESOURCE = /^arn:aws:states:::aws-sdk:([a-z0-9]+):([a-zA-Z0-9]+)$/;

/**
 * Turns a service error into the error a Task state fails with, named
 * `<Service>.<Exception>` as Step Functions names SDK integration errors
 * (`Forecast.ResourceNotFoundException`), so Retry and Catch can match it.
 */
function taskError(prefix: string, error: unknown): Error {
  if (!isAwsServiceError(error)) {
    return error instanceof Error ? error : new Error(String(error));
  }
  const code = error.code.endsWith('Exception')
    ? error.code
    : `${error.code}Exception`;
  const converted = new Error(error.message);
  converted.name = `${prefix}.${code}`;
  return converted;
}

const TIMESTAMP_KEY = /(Time|Date|Timestamp)$/;

/**
 * Rewrites the epoch-second timestamps of a JSON service result as ISO 8601
 * strings, the form Step Functions SDK integrations return them in, so that
 * templates can apply string intrinsics such as States.StringSplit to them.
 */
export function isoTimestamps(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) {
    return value.map(item => isoTimestamps(item));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, isoTimestamps(v, k)]),
    );
  }
  if (typeof value === 'number' && TIMESTAMP_KEY.test(key)) {
    return new Date(value * 1000).toISOString();
  }
  return value;
}

function pascalCase(operation: string): string {
  return operation[0].toUpperCase() + operation.slice(1);
}

function object(parameters: unknown): Record<string, unknown> {
  return parameters && typeof parameters === 'object'
    ? (parameters as Record<string, unknown>)
    : {};
}

/**
 * Runs Task state resources against the sandbox's services: the
 * `aws-sdk:forecast:*`, `aws-sdk:ssm:*` and `aws-sdk:s3:listObjectsV2` SDK
 * integrations, and `sns:publish`. Step Functions runs
 * `states:startExecution` Tasks itself.
 */
export class LocalTaskDispatcher implements TaskDispatcher {
  constructor(private readonly services: DispatcherServices) {}

  async invoke(
    resource: string,
    parameters: unknown,
    context: TaskContext,
  ): Promise<unknown> {
    const input = object(parameters);
    const sdk = SDK_RESOURCE.exec(resource);
    if (sdk) {
      const [, service, operation] = sdk;
      const prefix = pascalCase(service);
      try {
        return isoTimestamps(
          await this.invokeSdk(service, pascalCase(operation), input, context),
        );
      } catch (error) {
        throw taskError(prefix, error);
      }
    }
    if (resource === 'arn:aws:states:::sns:publish') {
      try {
        const message =
          typeof input.Message === 'string'
            ? input.Message
            : JSON.stringify(input.Message);
        return {
          MessageId: this.services.sns.publish(
            String(input.TopicArn),
            message,
            input.Subject as string | undefined,
          ),
        };
      } catch (error) {
        throw taskError('SNS', error);
      }
    }
    const error = new Error(
      `The sandbox cannot run the Task resource ${resource}. Supported: arn:aws:states:::aws-sdk:forecast:*, aws-sdk:ssm:*, aws-sdk:s3:listObjectsV2, sns:publish`,
    );
    error.name = 'States.Runtime';
    throw error;
  }

  private async invokeSdk(
    service: string,
    operation: string,
    input: Record<string, unknown>,
    context: RequestContext,
  ): Promise<unknown> {
    switch (service) {
      case 'forecast':
        return this.services.forecast.handle(operation, input, context);
      case 'ssm':
        return this.services.ssm.handle(operation, input, context);
      case 's3':
        if (operation === 'ListObjectsV2') {
          return this.listObjects(input);
        }
        break;
      case 'sns':
        if (operation === 'Publish') {
          return {
            MessageId: this.services.sns.publish(
              String(input.TopicArn),
              String(input.Message),
              input.Subject as string | undefined,
            ),
          };
        }
        break;
      default:
        break;
    }
    throw new AwsServiceError(
      'UnknownOperationException',
      `The sandbox does not support the SDK integration aws-sdk:${service}:${operation[0].toLowerCase()}${operation.slice(
        1,
      )}`,
    );
  }

  private async listObjects(input: Record<string, unknown>): Promise<unknown> {
    const page = await listObjectsPage(this.services.objects, {
      Bucket: String(input.Bucket),
      Prefix: input.Prefix as string | undefined,
      Delimiter: input.Delimiter as string | undefined,
      MaxKeys: input.MaxKeys === undefined ? undefined : Number(input.MaxKeys),
      ContinuationToken: input.ContinuationToken as string | undefined,
      StartAfter: input.StartAfter as string | undefined,
    });
    return {
      Name: input.Bucket,
      Prefix: input.Prefix ?? '',
      KeyCount: page.keyCount,
      MaxKeys: page.maxKeys,
      IsTruncated: page.isTruncated,
      NextContinuationToken: page.nextContinuationToken,
      Contents: page.contents.map(o => ({
        Key: o.key,
        Size: o.size,
        ETag: o.etag,
        LastModified: o.lastModified.toISOString(),
        StorageClass: 'STANDARD',
      })),
      CommonPrefixes: page.commonPrefixes.map(prefix => ({ Prefix: prefix })),
    };
  }
}
