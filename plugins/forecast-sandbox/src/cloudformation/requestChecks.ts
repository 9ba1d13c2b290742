import { AwsServiceError } from '../core/errors';
import type { ObjectStore } from '../core/types';
import type { StackRequest } from './CloudFormationService';
import type { StackRecord } from './records';

const STACK_NAME = /^[a-zA-Z][-a-zA-Z0-9]*$/;
const MAX_TEMPLATE_BODY = 51_200;
const MAX_TEMPLATE_URL_BODY = 1_000_000;

function validationError(message: string): AwsServiceError {
  return new AwsServiceError('ValidationError', message);
}

/**
 * Reads a template from TemplateBody (at most 51,200 bytes, as on AWS) or
 * from the sandbox S3 object that TemplateURL names.
 */
export async function readTemplateBody(
  request: Pick<StackRequest, 'templateBody' | 'templateUrl'>,
  objects: ObjectStore,
): Promise<string> {
  if (request.templateBody !== undefined) {
    const size = Buffer.byteLength(request.templateBody);
    if (size > MAX_TEMPLATE_BODY) {
      throw validationError(
        `1 validation error detected: Value '${request.templateBody.slice(
          0,
          20,
        )}...' at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TEMPLATE_BODY} (it has ${size} bytes). Upload the template to S3 and pass TemplateURL instead.`,
      );
    }
    return request.templateBody;
  }
  if (!request.templateUrl) {
    throw validationError(
      'Either Template URL or Template Body must be specified.',
    );
  }
  const { bucket, key } = parseTemplateUrl(request.templateUrl);
  const object = await objects.getObject(bucket, key).catch(() => {
    throw validationError(
      `TemplateURL must reference a valid S3 object to which you have access: s3://${bucket}/${key} was not found`,
    );
  });
  if (object.size > MAX_TEMPLATE_URL_BODY) {
    throw validationError(
      `The template at ${request.templateUrl} is ${object.size} bytes; the limit is ${MAX_TEMPLATE_URL_BODY}`,
    );
  }
  return object.body.toString('utf8');
}

function parseTemplateUrl(templateUrl: string): {
  bucket: string;
  key: string;
} {
  let url: URL;
  try {
    url = new URL(templateUrl);
  } catch {
    throw validationError(
      `TemplateURL "${templateUrl}" is not a URL. Use https://<bucket>.s3.amazonaws.com/<key> or a path-style S3 URL.`,
    );
  }
  const pathParts = url.pathname.split('/').slice(1).map(decodeURIComponent);
  const virtualHost = /^(.+)\.s3[.-]/.exec(url.hostname);
  if (virtualHost) {
    return { bucket: virtualHost[1], key: pathParts.join('/') };
  }
  return { bucket: pathParts[0], key: pathParts.slice(1).join('/') };
}

/** Checks the CloudFormation stack name rule. */
export function checkStackName(name: string): void {
  if (!STACK_NAME.test(name) || name.length > 128) {
    throw validationError(
      `1 validation error detected: Value '${name}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]* and have length less than or equal to 128. Start with a letter and use only letters, digits and hyphens.`,
    );
  }
}

/** Returns the OnFailure action of a create: DO_NOTHING when DisableRollback is set. */
export function onFailureOf(
  request: Pick<StackRequest, 'onFailure' | 'disableRollback'>,
): StackRecord['onFailure'] {
  if (request.onFailure && request.disableRollback !== undefined) {
    throw validationError(
      'You cannot specify both OnFailure and DisableRollback; give one of them.',
    );
  }
  const value =
    request.onFailure ?? (request.disableRollback ? 'DO_NOTHING' : 'ROLLBACK');
  if (!['ROLLBACK', 'DELETE', 'DO_NOTHING'].includes(value)) {
    throw validationError(
      `Invalid OnFailure "${value}": use ROLLBACK, DELETE or DO_NOTHING`,
    );
  }
  return value as StackRecord['onFailure'];
}
