import { InputError } from '@backstage/errors';

/** A bucket and key prefix parsed from an `s3://bucket/prefix` path. */
export interface S3Location {
  bucket: string;
  /** Key prefix ending with `/`, or empty for the whole bucket. */
  prefix: string;
}

/**
 * Parses `s3://bucket/prefix` into a bucket and a folder prefix. Amazon
 * Forecast treats a path as a folder, so the prefix always ends with `/`.
 */
export function parseS3Path(path: string, field: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(path);
  if (!match) {
    throw new InputError(
      `Invalid ${field} "${path}": expected an s3://bucket/prefix path`,
    );
  }
  const [, bucket, rest] = match;
  const prefix = rest === '' || rest.endsWith('/') ? rest : `${rest}/`;
  return { bucket, prefix };
}

/** Whether `path` is the location `root` or a folder under it. */
export function isUnder(path: S3Location, root: S3Location): boolean {
  return path.bucket === root.bucket && path.prefix.startsWith(root.prefix);
}
