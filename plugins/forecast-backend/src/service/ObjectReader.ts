import {
  GetObjectCommand,
  ListObjectsV2Command,
  _Object,
} from '@aws-sdk/client-s3';
import { ServiceUnavailableError } from '@backstage/errors';
import { AwsClients } from './AwsClients';
import { callAws } from './awsErrors';

/** Pages of ListObjectsV2 read under one prefix, 1,000 keys each. */
const MAX_LIST_PAGES = 10;

/** Lists and reads S3 objects for the series route, within a byte budget. */
export class ObjectReader {
  constructor(
    private readonly clients: AwsClients,
    private readonly maxBytes: number,
  ) {}

  /** Lists the objects under a prefix, following continuation tokens. */
  async list(arn: string, bucket: string, prefix: string): Promise<_Object[]> {
    const s3 = await this.clients.get('s3', arn);
    const objects: _Object[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const continuation = token;
      const page = await callAws(`ListObjectsV2 s3://${bucket}/${prefix}`, () =>
        s3.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix,
            ContinuationToken: continuation,
          }),
        ),
      );
      objects.push(...(page.Contents ?? []));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
      pages += 1;
    } while (token && pages < MAX_LIST_PAGES);
    return objects.filter(o => o.Key && !o.Key.endsWith('/'));
  }

  /**
   * Reads objects as text, in order. Throws ServiceUnavailableError before
   * reading past the byte budget, naming the budget's config key.
   */
  async readAll(
    arn: string,
    bucket: string,
    objects: _Object[],
  ): Promise<string[]> {
    const total = objects.reduce((sum, o) => sum + (o.Size ?? 0), 0);
    if (total > this.maxBytes) {
      throw new ServiceUnavailableError(
        `The files under s3://${bucket}/ add up to ${total} bytes, over the ${this.maxBytes} bytes allowed by forecast.backend.maxCsvBytes; raise it or export fewer items`,
      );
    }
    const s3 = await this.clients.get('s3', arn);
    return Promise.all(
      objects.map(async object => {
        const response = await callAws(
          `GetObject s3://${bucket}/${object.Key}`,
          () =>
            s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key })),
        );
        return (await response.Body?.transformToString('utf-8')) ?? '';
      }),
    );
  }
}
