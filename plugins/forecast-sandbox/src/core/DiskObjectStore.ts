import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AwsServiceError } from './errors';
import type { ObjectStore, ObjectSummary, StoredObject } from './types';

const META_SUFFIX = '.sandbox-meta.json';

interface ObjectMeta {
  etag: string;
  contentType?: string;
}

/**
 * S3 buckets as folders under `<root>`; each object is a file at its key,
 * byte for byte, beside a small metadata file with its ETag and content
 * type. Writes go to a temporary file first and are renamed into place, so
 * a killed process never leaves half an object.
 */
export class DiskObjectStore implements ObjectStore {
  constructor(private readonly root: string) {}

  async createBucket(bucket: string): Promise<void> {
    await fs.mkdir(this.bucketDir(bucket), { recursive: true });
  }

  async bucketExists(bucket: string): Promise<boolean> {
    try {
      return (await fs.stat(this.bucketDir(bucket))).isDirectory();
    } catch {
      return false;
    }
  }

  async deleteBucket(bucket: string): Promise<void> {
    await this.requireBucket(bucket);
    if ((await this.listObjects(bucket)).length > 0) {
      throw new AwsServiceError(
        'BucketNotEmpty',
        `The bucket ${bucket} you tried to delete is not empty`,
        409,
      );
    }
    await fs.rm(this.bucketDir(bucket), { recursive: true, force: true });
  }

  async listBuckets(): Promise<{ name: string; creationDate: Date }[]> {
    await fs.mkdir(this.root, { recursive: true });
    const names = await fs.readdir(this.root);
    const buckets = [];
    for (const name of names.sort()) {
      const stat = await fs.stat(path.join(this.root, name));
      if (stat.isDirectory()) {
        buckets.push({ name, creationDate: stat.birthtime });
      }
    }
    return buckets;
  }

  async putObject(
    bucket: string,
    key: string,
    body: Buffer,
    contentType?: string,
  ): Promise<{ etag: string }> {
    await this.requireBucket(bucket);
    const file = this.objectFile(bucket, key);
    const etag = `"${createHash('md5').update(body).digest('hex')}"`;
    await fs.mkdir(path.dirname(file), { recursive: true });

    const temporary = `${file}.${process.pid}.tmp`;
    await fs.writeFile(temporary, body);
    await fs.rename(temporary, file);
    const meta: ObjectMeta = { etag, contentType };
    await fs.writeFile(`${file}${META_SUFFIX}`, JSON.stringify(meta));
    return { etag };
  }

  async getObject(bucket: string, key: string): Promise<StoredObject> {
    const summary = await this.headObject(bucket, key);
    const file = this.objectFile(bucket, key);
    const meta = await this.readMeta(file);
    return {
      body: await fs.readFile(file),
      size: summary.size,
      etag: summary.etag,
      lastModified: summary.lastModified,
      contentType: meta?.contentType,
    };
  }

  async headObject(bucket: string, key: string): Promise<ObjectSummary> {
    await this.requireBucket(bucket);
    const file = this.objectFile(bucket, key);
    let stat;
    try {
      stat = await fs.stat(file);
    } catch {
      stat = undefined;
    }
    if (!stat || !stat.isFile() || key.endsWith(META_SUFFIX)) {
      throw new AwsServiceError(
        'NoSuchKey',
        `The specified key does not exist: s3://${bucket}/${key}`,
        404,
      );
    }
    const meta = await this.readMeta(file);
    return {
      key,
      size: stat.size,
      etag: meta?.etag ?? '""',
      lastModified: stat.mtime,
    };
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    await this.requireBucket(bucket);
    const file = this.objectFile(bucket, key);
    await fs.rm(file, { force: true });
    await fs.rm(`${file}${META_SUFFIX}`, { force: true });
  }

  async listObjects(bucket: string, prefix = ''): Promise<ObjectSummary[]> {
    await this.requireBucket(bucket);
    const root = this.bucketDir(bucket);
    const summaries: ObjectSummary[] = [];

    const walk = async (dir: string): Promise<void> => {
      for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          await walk(full);
          continue;
        }
        if (entry.name.endsWith(META_SUFFIX) || entry.name.endsWith('.tmp')) {
          continue;
        }
        const key = path.relative(root, full).split(path.sep).join('/');
        if (key.startsWith(prefix)) {
          summaries.push(await this.headObject(bucket, key));
        }
      }
    };

    await walk(root);
    return summaries.sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  private bucketDir(bucket: string): string {
    return path.join(this.root, bucket);
  }

  private objectFile(bucket: string, key: string): string {
    const file = path.join(this.bucketDir(bucket), key);
    if (!file.startsWith(this.bucketDir(bucket) + path.sep)) {
      throw new AwsServiceError(
        'InvalidArgument',
        `Invalid object key "${key}": it resolves outside the bucket`,
      );
    }
    return file;
  }

  private async requireBucket(bucket: string): Promise<void> {
    if (!(await this.bucketExists(bucket))) {
      throw new AwsServiceError(
        'NoSuchBucket',
        `The specified bucket does not exist: ${bucket}`,
        404,
      );
    }
  }

  private async readMeta(file: string): Promise<ObjectMeta | undefined> {
    try {
      return JSON.parse(await fs.readFile(`${file}${META_SUFFIX}`, 'utf8'));
    } catch {
      return undefined;
    }
  }
}
