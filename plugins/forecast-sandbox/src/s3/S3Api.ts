import type http from 'node:http';
import { XMLParser } from 'fast-xml-parser';
import { AwsServiceError } from '../core/errors';
import type { ObjectStore, SandboxLogger } from '../core/types';
import { sendReply } from '../protocols/http';
import { writeXmlDocument, type XmlValue } from '../protocols/xml';
import { decodeAwsChunked, isAwsChunked } from './awsChunked';
import { listObjectsPage } from './listObjects';

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const OWNER = { ID: 'sandbox', DisplayName: 'sandbox' };

/** Checks the S3 bucket naming rules; the message states the rule. */
export function checkBucketName(name: string): void {
  if (
    !BUCKET_NAME.test(name) ||
    name.includes('..') ||
    /^\d+\.\d+\.\d+\.\d+$/.test(name)
  ) {
    throw new AwsServiceError(
      'InvalidBucketName',
      `The specified bucket is not valid: "${name}". Bucket names are 3 to 63 characters of lowercase letters, digits, dots and hyphens, and begin and end with a letter or digit.`,
    );
  }
}

function xmlReply(
  response: http.ServerResponse,
  root: string,
  value: XmlValue,
  flattened: string[] = [],
): void {
  const body = writeXmlDocument(root, value, {
    xmlns: XMLNS,
    flattened: new Set(flattened),
  });
  sendReply(response, 200, { 'content-type': 'application/xml' }, body);
}

/**
 * Amazon S3 over the restXml protocol, path-style addressing only
 * (`http://host/<bucket>/<key>`): the bucket and object operations the
 * project uses, on top of the shared ObjectStore.
 */
export class S3Api {
  private readonly xml = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
  });

  constructor(
    private readonly store: ObjectStore,
    private readonly logger: SandboxLogger,
  ) {}

  async serve(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    url: URL,
    body: Buffer,
  ): Promise<void> {
    const segments = url.pathname.split('/').slice(1);
    const bucket = decodeURIComponent(segments[0] ?? '');
    const key = segments.slice(1).map(decodeURIComponent).join('/');
    const method = request.method ?? 'GET';
    const query = url.searchParams;

    if (!bucket) {
      if (method === 'GET') return this.listBuckets(response);
      throw this.notImplemented(method, url);
    }
    // Every bucket was created under the naming rules, so a name outside
    // them (such as an encoded "..") names no bucket and no folder.
    checkBucketName(bucket);
    if (!key) {
      switch (method) {
        case 'PUT':
          if (await this.store.bucketExists(bucket)) {
            throw new AwsServiceError(
              'BucketAlreadyOwnedByYou',
              `Your previous request to create the bucket ${bucket} succeeded and you already own it.`,
              409,
            );
          }
          await this.store.createBucket(bucket);
          this.logger.info(`S3 bucket ${bucket} created`);
          return sendReply(response, 200, { location: `/${bucket}` });
        case 'HEAD':
          if (!(await this.store.bucketExists(bucket))) {
            throw new AwsServiceError(
              'NotFound',
              `Bucket ${bucket} not found`,
              404,
            );
          }
          return sendReply(response, 200, {
            'x-amz-bucket-region': 'us-east-1',
          });
        case 'DELETE':
          await this.store.deleteBucket(bucket);
          return sendReply(response, 204, {});
        case 'POST':
          if (query.has('delete'))
            return this.deleteObjects(response, bucket, body);
          break;
        case 'GET':
          if (query.has('location')) {
            await this.store.listObjects(bucket, '\u0000');
            return xmlReply(response, 'LocationConstraint', '');
          }
          return this.listObjects(response, bucket, query);
        default:
          break;
      }
      throw this.notImplemented(method, url);
    }

    switch (method) {
      case 'PUT':
        if (request.headers['x-amz-copy-source']) {
          return this.copyObject(request, response, bucket, key);
        }
        return this.putObject(request, response, bucket, key, body);
      case 'GET':
      case 'HEAD':
        return this.getObject(
          request,
          response,
          bucket,
          key,
          method === 'HEAD',
        );
      case 'DELETE':
        await this.store.deleteObject(bucket, key);
        return sendReply(response, 204, {});
      default:
        throw this.notImplemented(method, url);
    }
  }

  private async listBuckets(response: http.ServerResponse): Promise<void> {
    const buckets = await this.store.listBuckets();
    xmlReply(
      response,
      'ListAllMyBucketsResult',
      {
        Owner: OWNER,
        Buckets: {
          Bucket: buckets.map(b => ({
            Name: b.name,
            CreationDate: b.creationDate,
          })),
        },
      },
      ['Bucket'],
    );
  }

  private async listObjects(
    response: http.ServerResponse,
    bucket: string,
    query: URLSearchParams,
  ): Promise<void> {
    const maxKeys = query.get('max-keys');
    const page = await listObjectsPage(this.store, {
      Bucket: bucket,
      Prefix: query.get('prefix') ?? undefined,
      Delimiter: query.get('delimiter') ?? undefined,
      MaxKeys: maxKeys === null ? undefined : Number(maxKeys),
      ContinuationToken: query.get('continuation-token') ?? undefined,
      StartAfter: query.get('start-after') ?? undefined,
    });
    const encode =
      query.get('encoding-type') === 'url'
        ? (text: string) => encodeURIComponent(text).replace(/%2F/g, '/')
        : (text: string) => text;

    xmlReply(
      response,
      'ListBucketResult',
      {
        Name: bucket,
        Prefix: encode(query.get('prefix') ?? ''),
        Delimiter: query.has('delimiter')
          ? encode(query.get('delimiter')!)
          : undefined,
        StartAfter: query.get('start-after')
          ? encode(query.get('start-after')!)
          : undefined,
        ContinuationToken: query.get('continuation-token') ?? undefined,
        NextContinuationToken: page.nextContinuationToken,
        KeyCount: page.keyCount,
        MaxKeys: page.maxKeys,
        EncodingType: query.get('encoding-type') ?? undefined,
        IsTruncated: page.isTruncated,
        Contents: page.contents.map(o => ({
          Key: encode(o.key),
          LastModified: o.lastModified,
          ETag: o.etag,
          Size: o.size,
          StorageClass: 'STANDARD',
        })),
        CommonPrefixes: page.commonPrefixes.map(p => ({ Prefix: encode(p) })),
      },
      ['Contents', 'CommonPrefixes'],
    );
  }

  private async putObject(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    bucket: string,
    key: string,
    body: Buffer,
  ): Promise<void> {
    let content = body;
    const chunked = isAwsChunked(request.headers);
    if (chunked) {
      try {
        content = decodeAwsChunked(body);
      } catch (error) {
        throw new AwsServiceError('IncompleteBody', (error as Error).message);
      }
      const declared = request.headers['x-amz-decoded-content-length'];
      if (declared !== undefined && Number(declared) !== content.length) {
        throw new AwsServiceError(
          'IncompleteBody',
          `The request body of s3://${bucket}/${key} holds ${content.length} bytes after aws-chunked decoding, but x-amz-decoded-content-length says ${declared}`,
        );
      }
    }
    const { etag } = await this.store.putObject(
      bucket,
      key,
      content,
      request.headers['content-type'],
    );
    this.logger.debug(
      `S3 put s3://${bucket}/${key} (${content.length} bytes${
        chunked ? ', aws-chunked body decoded' : ''
      })`,
    );
    sendReply(response, 200, { etag });
  }

  private async copyObject(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    bucket: string,
    key: string,
  ): Promise<void> {
    const source = decodeURIComponent(
      String(request.headers['x-amz-copy-source']),
    ).replace(/^\//, '');
    const slash = source.indexOf('/');
    const object = await this.store.getObject(
      source.slice(0, slash),
      source.slice(slash + 1).split('?')[0],
    );
    const { etag } = await this.store.putObject(
      bucket,
      key,
      object.body,
      object.contentType,
    );
    xmlReply(response, 'CopyObjectResult', {
      ETag: etag,
      LastModified: new Date(),
    });
  }

  private async getObject(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    bucket: string,
    key: string,
    headOnly: boolean,
  ): Promise<void> {
    if (headOnly) {
      const summary = await this.store.headObject(bucket, key).catch(error => {
        // HEAD replies have no body, so the SDK reads only the status code.
        throw new AwsServiceError(
          'NotFound',
          (error as Error).message,
          (error as AwsServiceError).statusCode ?? 404,
        );
      });
      return sendReply(
        response,
        200,
        {
          'content-type': 'application/octet-stream',
          etag: summary.etag,
          'last-modified': summary.lastModified.toUTCString(),
          'accept-ranges': 'bytes',
        },
        Buffer.alloc(0),
        summary.size,
      );
    }

    const object = await this.store.getObject(bucket, key);
    const headers: Record<string, string> = {
      'content-type': object.contentType ?? 'application/octet-stream',
      etag: object.etag,
      'last-modified': object.lastModified.toUTCString(),
      'accept-ranges': 'bytes',
    };
    const range = /^bytes=(\d*)-(\d*)$/.exec(
      String(request.headers.range ?? ''),
    );
    if (range && object.size > 0) {
      const start = range[1]
        ? Number(range[1])
        : Math.max(0, object.size - Number(range[2]));
      const end =
        range[1] && range[2]
          ? Math.min(Number(range[2]), object.size - 1)
          : object.size - 1;
      headers['content-range'] = `bytes ${start}-${end}/${object.size}`;
      return sendReply(
        response,
        206,
        headers,
        object.body.subarray(start, end + 1),
      );
    }
    return sendReply(response, 200, headers, object.body);
  }

  private async deleteObjects(
    response: http.ServerResponse,
    bucket: string,
    body: Buffer,
  ): Promise<void> {
    const parsed = this.xml.parse(body.toString('utf8'));
    const objects = parsed?.Delete?.Object;
    // The XML parser gives one <Object> as an object and several as an array.
    const list: { Key: string }[] = [objects ?? []].flat();
    const quiet = String(parsed?.Delete?.Quiet) === 'true';
    const deleted = [];
    for (const object of list) {
      await this.store.deleteObject(bucket, String(object.Key));
      deleted.push({ Key: String(object.Key) });
    }
    xmlReply(response, 'DeleteResult', { Deleted: quiet ? [] : deleted }, [
      'Deleted',
    ]);
  }

  private notImplemented(method: string, url: URL): AwsServiceError {
    return new AwsServiceError(
      'NotImplemented',
      `The sandbox's S3 does not implement ${method} ${url.pathname}${url.search}. Supported: ListBuckets, CreateBucket, HeadBucket, DeleteBucket, ListObjectsV2, PutObject, CopyObject, GetObject, HeadObject, DeleteObject, DeleteObjects`,
      501,
    );
  }
}

/** Sends an S3 error document (no body for HEAD, as S3 does). */
export function sendS3Error(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  error: AwsServiceError,
  requestId: string,
): void {
  const headers = {
    'content-type': 'application/xml',
    'x-amz-request-id': requestId,
  };
  if (request.method === 'HEAD') {
    return sendReply(response, error.statusCode, headers);
  }
  const body = writeXmlDocument('Error', {
    Code: error.code,
    Message: error.message,
    RequestId: requestId,
  });
  return sendReply(response, error.statusCode, headers, body);
}
