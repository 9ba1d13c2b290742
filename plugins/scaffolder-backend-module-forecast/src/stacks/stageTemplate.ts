import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { AwsClientFactory } from '@forecast-pipelines/plugin-forecast-node';
import { createHash } from 'node:crypto';
import { explainAwsError } from '../aws/awsErrors';
import type { TemplateSource } from './StackDeployer';

/** CloudFormation's limit for an inline TemplateBody, in bytes. */
export const MAX_TEMPLATE_BODY_BYTES = 51_200;

/** Whether the template must go through S3 because it is too large to send inline. */
export function needsStaging(templateBody: string): boolean {
  return Buffer.byteLength(templateBody, 'utf8') > MAX_TEMPLATE_BODY_BYTES;
}

/**
 * Copies a template to S3 and returns its TemplateURL. The key carries a
 * hash of the content, so an unchanged template is stored under the same key
 * on every run.
 */
export async function stageTemplate(
  clientFactory: AwsClientFactory,
  target: { accountId: string; region: string },
  options: {
    bucket: string;
    stackName: string;
    templateName: string;
    templateBody: string;
  },
): Promise<TemplateSource> {
  const hash = createHash('sha256')
    .update(options.templateBody)
    .digest('hex')
    .slice(0, 16);
  const key = `${options.stackName}/cloudformation/${options.templateName}-${hash}.yaml`;
  const s3 = await clientFactory.s3(target);
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: options.bucket,
        Key: key,
        Body: options.templateBody,
        ContentType: 'application/x-yaml',
      }),
    );
  } catch (error) {
    throw explainAwsError(error, {
      action: 's3:PutObject',
      accountId: target.accountId,
      region: target.region,
      resource: `s3://${options.bucket}/${key}`,
    });
  }
  return {
    templateUrl: `https://${options.bucket}.s3.${target.region}.amazonaws.com/${key}`,
  };
}
