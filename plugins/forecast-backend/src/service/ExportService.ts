import {
  ForecastExportJobSummary,
  ListForecastExportJobsCommand,
} from '@aws-sdk/client-forecast';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type {
  ExportFile,
  ExportsResponse,
  ForecastExport,
} from '@forecast-pipelines/plugin-forecast-common';
import type { Readable } from 'node:stream';
import { AwsClients } from './AwsClients';
import { callAws } from './awsErrors';
import { ResponseCache } from './ResponseCache';
import { isUnder, parseS3Path, S3Location } from './s3Paths';
import type { WorkloadScope } from './WorkloadResolver';

/** Pages of ListForecastExportJobs read per workload, 100 jobs each. */
const MAX_EXPORT_JOB_PAGES = 5;

/** Objects listed per export destination. */
const MAX_FILES_PER_EXPORT = 1000;

/** An S3 object opened for download. */
export interface DownloadedFile {
  name: string;
  contentType: string;
  contentLength?: number;
  body: Readable;
}

/** Returns the stack's export locations, from its outputs. */
export function exportRoots(scope: WorkloadScope): S3Location[] {
  const roots: S3Location[] = [];
  for (const key of ['ForecastExportPath', 'BacktestExportPath']) {
    const path = scope.stack.outputs[key];
    if (path) {
      roots.push(parseS3Path(path, `stack output ${key}`));
    }
  }
  return roots;
}

/**
 * Lists the workload's forecast export jobs (those whose destination is under
 * the stack's `ForecastExportPath`) with the files under each, and streams
 * those files through the backend.
 */
export class ExportService {
  constructor(
    private readonly clients: AwsClients,
    private readonly cache: ResponseCache,
    private readonly logger: LoggerService,
    private readonly maxExports: number,
  ) {}

  async exports(scope: WorkloadScope): Promise<ExportsResponse> {
    const exportPath = scope.stack.outputs.ForecastExportPath;
    if (!exportPath) {
      return scope.stale ? { exports: [], stale: true } : { exports: [] };
    }
    const root = parseS3Path(exportPath, 'stack output ForecastExportPath');

    const { value, stale } = await this.cache.getOrLoad(
      scope.cacheGroup,
      'exports',
      async () => {
        const jobs = await this.exportJobs(scope, root);
        return Promise.all(jobs.map(job => this.withFiles(scope, job)));
      },
    );
    return stale || scope.stale
      ? { exports: value, stale: true }
      : { exports: value };
  }

  /** Opens an export file; the key must lie under one of the stack's export paths. */
  async download(scope: WorkloadScope, key: string): Promise<DownloadedFile> {
    if (!key) {
      throw new InputError(
        'Missing query parameter key: give the S3 key of an export file',
      );
    }
    if (key.split('/').some(part => part === '..' || part === '.')) {
      throw new InputError(
        `Invalid key "${key}": it must not contain . or .. segments`,
      );
    }
    const root = exportRoots(scope).find(
      r => key.startsWith(r.prefix) && r.prefix,
    );
    if (!root) {
      throw new NotAllowedError(
        `Key "${key}" is not under the export paths of stack ${scope.stack.stackName}, so it cannot be downloaded for ${scope.entityRef}`,
      );
    }

    const s3 = await this.clients.get('s3', scope.stackArn);
    const object = await callAws(`GetObject s3://${root.bucket}/${key}`, () =>
      s3.send(new GetObjectCommand({ Bucket: root.bucket, Key: key })),
    );
    if (!object.Body) {
      throw new NotFoundError(`Object s3://${root.bucket}/${key} has no body`);
    }
    const name = key.split('/').pop() ?? 'export';
    return {
      name,
      contentType: name.endsWith('.csv')
        ? 'text/csv; charset=utf-8'
        : object.ContentType ?? 'application/octet-stream',
      contentLength: object.ContentLength,
      body: object.Body as Readable,
    };
  }

  private async exportJobs(
    scope: WorkloadScope,
    root: S3Location,
  ): Promise<ForecastExportJobSummary[]> {
    const forecast = await this.clients.get('forecast', scope.stackArn);
    const matching: ForecastExportJobSummary[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const token = nextToken;
      const page = await callAws('ListForecastExportJobs', () =>
        forecast.send(
          new ListForecastExportJobsCommand({
            MaxResults: 100,
            NextToken: token,
          }),
        ),
      );
      for (const job of page.ForecastExportJobs ?? []) {
        const path = job.Destination?.S3Config?.Path;
        if (path && isUnder(parseS3Path(path, 'export destination'), root)) {
          matching.push(job);
        }
      }
      nextToken = page.NextToken;
      pages += 1;
    } while (nextToken && pages < MAX_EXPORT_JOB_PAGES);
    // NOTE: ListForecastExportJobs cannot filter by destination, so jobs past
    // the first MAX_EXPORT_JOB_PAGES pages of the account are not seen.

    matching.sort(
      (a, b) =>
        (b.CreationTime?.getTime() ?? 0) - (a.CreationTime?.getTime() ?? 0),
    );
    this.logger.debug(
      `Found ${matching.length} export jobs under s3://${root.bucket}/${root.prefix}`,
    );
    return matching.slice(0, this.maxExports);
  }

  private async withFiles(
    scope: WorkloadScope,
    job: ForecastExportJobSummary,
  ): Promise<ForecastExport> {
    const destination = job.Destination?.S3Config?.Path ?? '';
    const location = parseS3Path(destination, 'export destination');
    let files: ExportFile[] = [];
    if (job.Status === 'ACTIVE') {
      const s3 = await this.clients.get('s3', scope.stackArn);
      const listed = await callAws(`ListObjectsV2 ${destination}`, () =>
        s3.send(
          new ListObjectsV2Command({
            Bucket: location.bucket,
            Prefix: location.prefix,
            MaxKeys: MAX_FILES_PER_EXPORT,
          }),
        ),
      );
      files = (listed.Contents ?? [])
        .filter(object => object.Key && !object.Key.endsWith('/'))
        .map(object => ({
          key: object.Key!,
          name: object.Key!.slice(location.prefix.length),
          size: object.Size ?? 0,
          lastModified: object.LastModified?.toISOString() ?? '',
        }));
    }

    return {
      exportJobArn: job.ForecastExportJobArn ?? '',
      name: job.ForecastExportJobName ?? '',
      status: job.Status ?? 'UNKNOWN',
      message: job.Message,
      destination,
      creationTime: job.CreationTime?.toISOString() ?? '',
      lastModificationTime: job.LastModificationTime?.toISOString(),
      files,
    };
  }
}
