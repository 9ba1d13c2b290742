import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  paginateListObjectsV2,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import {
  startTestSandbox,
  type TestSandbox,
} from '../__testUtils__/testSandbox';

describe('S3', () => {
  let test: TestSandbox;
  const debugLines: string[] = [];
  const logger = {
    debug: (message: string) => debugLines.push(message),
    info: () => {},
    warn: () => {},
    error: () => {},
    child: () => logger,
  };

  beforeAll(async () => {
    test = await startTestSandbox({ logger });
    const { s3 } = test.clients;
    await s3.send(new CreateBucketCommand({ Bucket: 'data' }));
    const keys = [
      'exports/run-1/part-0.csv',
      'exports/run-1/part-1.csv',
      'exports/run-2/part-0.csv',
      'exports/summary.json',
      'input/target/sales.csv',
      'readme.txt',
    ];
    for (const key of keys) {
      await s3.send(
        new PutObjectCommand({
          Bucket: 'data',
          Key: key,
          Body: `content of ${key}`,
        }),
      );
    }
  });

  afterAll(async () => {
    await test.stop();
  });

  it('lists with a prefix and a delimiter', async () => {
    const { s3 } = test.clients;
    const top = await s3.send(
      new ListObjectsV2Command({ Bucket: 'data', Delimiter: '/' }),
    );
    expect(top.CommonPrefixes!.map(p => p.Prefix)).toEqual([
      'exports/',
      'input/',
    ]);
    expect(top.Contents!.map(o => o.Key)).toEqual(['readme.txt']);
    expect(top.KeyCount).toBe(3);

    const exports = await s3.send(
      new ListObjectsV2Command({
        Bucket: 'data',
        Prefix: 'exports/',
        Delimiter: '/',
      }),
    );
    expect(exports.CommonPrefixes!.map(p => p.Prefix)).toEqual([
      'exports/run-1/',
      'exports/run-2/',
    ]);
    expect(exports.Contents!.map(o => o.Key)).toEqual(['exports/summary.json']);
    expect(exports.Contents![0].Size).toBe(
      'content of exports/summary.json'.length,
    );
    expect(exports.Contents![0].LastModified).toBeInstanceOf(Date);

    const deep = await s3.send(
      new ListObjectsV2Command({ Bucket: 'data', Prefix: 'exports/run-1/' }),
    );
    expect(deep.Contents!.map(o => o.Key)).toEqual([
      'exports/run-1/part-0.csv',
      'exports/run-1/part-1.csv',
    ]);
    expect(deep.CommonPrefixes).toBeUndefined();
  });

  it('pages through keys and prefixes', async () => {
    const { s3 } = test.clients;
    const pages: string[][] = [];
    for await (const page of paginateListObjectsV2(
      { client: s3, pageSize: 2 },
      { Bucket: 'data' },
    )) {
      pages.push((page.Contents ?? []).map(o => o.Key!));
    }
    expect(pages).toEqual([
      ['exports/run-1/part-0.csv', 'exports/run-1/part-1.csv'],
      ['exports/run-2/part-0.csv', 'exports/summary.json'],
      ['input/target/sales.csv', 'readme.txt'],
    ]);

    const first = await s3.send(
      new ListObjectsV2Command({ Bucket: 'data', Delimiter: '/', MaxKeys: 1 }),
    );
    expect(first.IsTruncated).toBe(true);
    expect(first.CommonPrefixes!.map(p => p.Prefix)).toEqual(['exports/']);
    const second = await s3.send(
      new ListObjectsV2Command({
        Bucket: 'data',
        Delimiter: '/',
        MaxKeys: 1,
        ContinuationToken: first.NextContinuationToken,
      }),
    );
    expect(second.CommonPrefixes!.map(p => p.Prefix)).toEqual(['input/']);
    const third = await s3.send(
      new ListObjectsV2Command({
        Bucket: 'data',
        Delimiter: '/',
        MaxKeys: 1,
        ContinuationToken: second.NextContinuationToken,
      }),
    );
    expect(third.Contents!.map(o => o.Key)).toEqual(['readme.txt']);
    expect(third.IsTruncated).toBe(false);
  });

  it('stores a streamed upload byte for byte', async () => {
    const { s3 } = test.clients;
    const body = randomBytes(300_000);
    // A stream with a length makes the SDK send an aws-chunked body with a
    // trailing checksum.
    await s3.send(
      new PutObjectCommand({
        Bucket: 'data',
        Key: 'binary/blob.bin',
        Body: Readable.from([
          body.subarray(0, 100_000),
          body.subarray(100_000),
        ]),
        ContentLength: body.length,
        ContentType: 'application/x-test',
      }),
    );

    expect(debugLines).toContain(
      `S3 put s3://data/binary/blob.bin (${body.length} bytes, aws-chunked body decoded)`,
    );

    const object = await s3.send(
      new GetObjectCommand({ Bucket: 'data', Key: 'binary/blob.bin' }),
    );
    const stored = Buffer.from(await object.Body!.transformToByteArray());
    expect(stored.length).toBe(body.length);
    expect(stored.equals(body)).toBe(true);
    expect(object.ContentType).toBe('application/x-test');

    const head = await s3.send(
      new HeadObjectCommand({ Bucket: 'data', Key: 'binary/blob.bin' }),
    );
    expect(head.ContentLength).toBe(body.length);
    expect(head.ETag).toBe(object.ETag);

    const range = await s3.send(
      new GetObjectCommand({
        Bucket: 'data',
        Key: 'binary/blob.bin',
        Range: 'bytes=10-19',
      }),
    );
    expect(
      Buffer.from(await range.Body!.transformToByteArray()).equals(
        body.subarray(10, 20),
      ),
    ).toBe(true);
  });

  it('stores a large upload sent with Expect: 100-continue', async () => {
    const { s3 } = test.clients;
    // The SDK sends Expect: 100-continue on bodies over 2 MB.
    const body = randomBytes(6 * 1024 * 1024);
    await s3.send(
      new PutObjectCommand({
        Bucket: 'data',
        Key: 'large/blob.bin',
        Body: body,
      }),
    );
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: 'data', Key: 'large/blob.bin' }),
    );
    expect(head.ContentLength).toBe(body.length);
    const object = await s3.send(
      new GetObjectCommand({ Bucket: 'data', Key: 'large/blob.bin' }),
    );
    expect(
      Buffer.from(await object.Body!.transformToByteArray()).equals(body),
    ).toBe(true);
    await s3.send(
      new DeleteObjectCommand({ Bucket: 'data', Key: 'large/blob.bin' }),
    );
  });

  it('copies and deletes objects', async () => {
    const { s3 } = test.clients;
    await s3.send(
      new CopyObjectCommand({
        Bucket: 'data',
        Key: 'copy/readme.txt',
        CopySource: 'data/readme.txt',
      }),
    );
    const copy = await s3.send(
      new GetObjectCommand({ Bucket: 'data', Key: 'copy/readme.txt' }),
    );
    expect(await copy.Body!.transformToString()).toBe('content of readme.txt');

    await s3.send(
      new DeleteObjectCommand({ Bucket: 'data', Key: 'copy/readme.txt' }),
    );
    const result = await s3.send(
      new DeleteObjectsCommand({
        Bucket: 'data',
        Delete: {
          Objects: [{ Key: 'binary/blob.bin' }, { Key: 'never/there' }],
        },
      }),
    );
    expect(result.Deleted!.map(d => d.Key)).toEqual([
      'binary/blob.bin',
      'never/there',
    ]);
    const left = await s3.send(
      new ListObjectsV2Command({ Bucket: 'data', Prefix: 'binary/' }),
    );
    expect(left.KeyCount).toBe(0);
  });

  it('raises the named errors', async () => {
    const { s3 } = test.clients;
    await expect(
      s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'missing.csv' })),
    ).rejects.toMatchObject({
      name: 'NoSuchKey',
      message: expect.stringContaining('s3://data/missing.csv'),
    });
    await expect(
      s3.send(new HeadObjectCommand({ Bucket: 'data', Key: 'missing.csv' })),
    ).rejects.toMatchObject({
      name: 'NotFound',
    });
    await expect(
      s3.send(new ListObjectsV2Command({ Bucket: 'nope' })),
    ).rejects.toMatchObject({ name: 'NoSuchBucket' });
    await expect(
      s3.send(new CreateBucketCommand({ Bucket: 'data' })),
    ).rejects.toMatchObject({
      name: 'BucketAlreadyOwnedByYou',
    });
    await expect(
      s3.send(new CreateBucketCommand({ Bucket: 'Bad_Name' })),
    ).rejects.toMatchObject({
      name: 'InvalidBucketName',
      message: expect.stringContaining('3 to 63 characters'),
    });
    await expect(
      s3.send(new DeleteBucketCommand({ Bucket: 'data' })),
    ).rejects.toMatchObject({
      name: 'BucketNotEmpty',
    });
    const escape = await fetch(
      `${test.sandbox.endpoint}/data%2F..%2F..?list-type=2`,
    );
    expect(escape.status).toBe(400);
    expect(await escape.text()).toContain('<Code>InvalidBucketName</Code>');
    const { Buckets } = await s3.send(new ListBucketsCommand({}));
    expect(Buckets!.map(b => b.Name)).toEqual(['data']);
  });
});
