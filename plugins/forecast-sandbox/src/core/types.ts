import type { LoggerService } from '@backstage/backend-plugin-api';

/** The sandbox logs through Backstage's logger, or a console adapter when standalone. */
export type SandboxLogger = LoggerService;

/** What every request carries into a service, taken from the SigV4 scope. */
export interface RequestContext {
  accountId: string;
  region: string;
  requestId: string;
}

/**
 * A JSON-protocol service (awsJson1_0 / awsJson1_1): Step Functions, SSM and
 * Forecast. `operation` is the part after the dot in `X-Amz-Target`
 * (`CreateDatasetGroup`); `input` and the result use the wire shapes, with
 * timestamps as epoch seconds. Errors are thrown as AwsServiceError.
 *
 * The same interface serves Step Functions SDK integrations
 * (`aws-sdk:forecast:createDatasetGroup` calls `handle('CreateDatasetGroup')`).
 */
export interface JsonService {
  handle(
    operation: string,
    input: Record<string, unknown>,
    context: RequestContext,
  ): Promise<Record<string, unknown>>;
  /** Called once at start, after a restart too: resume or fail unfinished work. */
  recover?(): Promise<void>;
  /** Stops timers and workers. */
  close?(): Promise<void>;
}

/** One stored object, as S3 would return it. */
export interface StoredObject {
  body: Buffer;
  size: number;
  etag: string;
  lastModified: Date;
  contentType?: string;
}

/** A listed object, without its body. */
export interface ObjectSummary {
  key: string;
  size: number;
  etag: string;
  lastModified: Date;
}

/**
 * The sandbox S3 storage, shared by the S3 protocol adapter, Forecast imports
 * and exports, and the Step Functions S3 integrations. Missing buckets and
 * keys throw AwsServiceError `NoSuchBucket` (404) and `NoSuchKey` (404).
 */
export interface ObjectStore {
  createBucket(bucket: string): Promise<void>;
  bucketExists(bucket: string): Promise<boolean>;
  deleteBucket(bucket: string): Promise<void>;
  listBuckets(): Promise<{ name: string; creationDate: Date }[]>;
  putObject(
    bucket: string,
    key: string,
    body: Buffer,
    contentType?: string,
  ): Promise<{ etag: string }>;
  getObject(bucket: string, key: string): Promise<StoredObject>;
  headObject(bucket: string, key: string): Promise<ObjectSummary>;
  deleteObject(bucket: string, key: string): Promise<void>;
  /** Every object whose key starts with `prefix`, sorted by key. */
  listObjects(bucket: string, prefix?: string): Promise<ObjectSummary[]>;
}
