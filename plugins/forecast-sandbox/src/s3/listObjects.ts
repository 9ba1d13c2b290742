import { AwsServiceError } from '../core/errors';
import type { ObjectStore, ObjectSummary } from '../core/types';

/** Input of ListObjectsV2, in the names of the S3 API. */
export interface ListObjectsRequest {
  Bucket: string;
  Prefix?: string;
  Delimiter?: string;
  MaxKeys?: number;
  ContinuationToken?: string;
  StartAfter?: string;
}

/** One page of ListObjectsV2. */
export interface ListObjectsPage {
  contents: ObjectSummary[];
  commonPrefixes: string[];
  isTruncated: boolean;
  nextContinuationToken?: string;
  keyCount: number;
  maxKeys: number;
}

interface Token {
  /** The last key or common prefix returned on the previous page. */
  after: string;
  afterIsPrefix: boolean;
}

function decodeToken(token: string): Token {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof parsed.after === 'string') {
      return parsed;
    }
  } catch {
    // Falls through to the error below.
  }
  throw new AwsServiceError(
    'InvalidArgument',
    `The continuation token "${token}" is not valid. Pass the NextContinuationToken of the previous page unchanged.`,
  );
}

/**
 * Lists objects as ListObjectsV2 does: keys in UTF-8 binary order, keys that
 * contain the delimiter after the prefix rolled up into CommonPrefixes, and
 * at most MaxKeys entries (objects plus prefixes) per page.
 */
export async function listObjectsPage(
  store: ObjectStore,
  request: ListObjectsRequest,
): Promise<ListObjectsPage> {
  const prefix = request.Prefix ?? '';
  const delimiter = request.Delimiter || undefined;
  const maxKeys = Math.min(request.MaxKeys ?? 1000, 1000);
  if (!(maxKeys >= 0)) {
    throw new AwsServiceError(
      'InvalidArgument',
      `Invalid MaxKeys ${request.MaxKeys}: it must be a number from 0 to 1000`,
    );
  }
  const token = request.ContinuationToken
    ? decodeToken(request.ContinuationToken)
    : undefined;

  const objects = (await store.listObjects(request.Bucket, prefix)).sort(
    (a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)),
  );
  const contents: ObjectSummary[] = [];
  const commonPrefixes: string[] = [];
  let last: Token | undefined;
  let isTruncated = false;

  for (const object of objects) {
    if (request.StartAfter && object.key <= request.StartAfter) {
      continue;
    }
    if (token) {
      if (object.key <= token.after) continue;
      if (token.afterIsPrefix && object.key.startsWith(token.after)) continue;
    }

    const rest = object.key.slice(prefix.length);
    const cut = delimiter ? rest.indexOf(delimiter) : -1;
    const rolledUp =
      cut >= 0 ? prefix + rest.slice(0, cut + delimiter!.length) : undefined;
    if (rolledUp && commonPrefixes[commonPrefixes.length - 1] === rolledUp) {
      continue;
    }

    if (contents.length + commonPrefixes.length >= maxKeys) {
      isTruncated = true;
      break;
    }
    if (rolledUp) {
      commonPrefixes.push(rolledUp);
      last = { after: rolledUp, afterIsPrefix: true };
    } else {
      contents.push(object);
      last = { after: object.key, afterIsPrefix: false };
    }
  }

  return {
    contents,
    commonPrefixes,
    isTruncated,
    nextContinuationToken:
      isTruncated && last
        ? Buffer.from(JSON.stringify(last)).toString('base64url')
        : undefined,
    keyCount: contents.length + commonPrefixes.length,
    maxKeys,
  };
}
