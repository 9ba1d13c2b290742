import {
  DeleteObjectsCommand,
  paginateListObjectsV2,
  S3Client,
} from '@aws-sdk/client-s3';
import { explainAwsError } from '../aws/awsErrors';

/** At most this many keys go into one DeleteObjects request (the S3 limit). */
const DELETE_BATCH_SIZE = 1000;

/**
 * Deletes every object under `folder` except `keep`, so that a FULL import
 * reads only the newly uploaded file. Returns the deleted keys.
 */
export async function removeOtherFiles(
  s3: S3Client,
  target: { bucket: string; folder: string; keep: string },
  call: { accountId: string; region: string },
): Promise<string[]> {
  const keys: string[] = [];
  try {
    for await (const page of paginateListObjectsV2(
      { client: s3 },
      { Bucket: target.bucket, Prefix: target.folder },
    )) {
      for (const object of page.Contents ?? []) {
        if (object.Key && object.Key !== target.keep) {
          keys.push(object.Key);
        }
      }
    }
  } catch (error) {
    throw explainAwsError(error, {
      action: 's3:ListBucket',
      ...call,
      resource: `s3://${target.bucket}/${target.folder}`,
    });
  }

  for (let start = 0; start < keys.length; start += DELETE_BATCH_SIZE) {
    const batch = keys.slice(start, start + DELETE_BATCH_SIZE);
    try {
      const result = await s3.send(
        new DeleteObjectsCommand({
          Bucket: target.bucket,
          Delete: { Objects: batch.map(Key => ({ Key })), Quiet: true },
        }),
      );
      const failed = result.Errors ?? [];
      if (failed.length > 0) {
        throw new Error(
          `S3 could not delete ${failed.length} objects, first ${failed[0].Key}: ${failed[0].Code} ${failed[0].Message}`,
        );
      }
    } catch (error) {
      throw explainAwsError(error, {
        action: 's3:DeleteObject',
        ...call,
        resource: `s3://${target.bucket}/${target.folder}`,
      });
    }
  }
  return keys;
}
