/**
 * Shared state of the sandbox Forecast service: resource tables under
 * `<dataDir>/forecast/`, background jobs and the data and model files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AwsServiceError } from '../core/errors';
import { JsonFileStore } from '../core/JsonFileStore';
import type { RequestContext, SandboxLogger } from '../core/types';
import { WorkerPool } from '../engine/WorkerPool';
import { readContent } from './contentFiles';
import type { DatasetContent } from './importParser';
import {
  checkArn,
  checkTags,
  invalidInput,
  parseS3Path,
  type Tag,
} from './validation';
import type { ForecastServiceOptions } from './ForecastService';

/** A stored resource, in its wire shape plus `_`-prefixed internal fields. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Row = Record<string, any>;

export const KINDS = [
  'datasetGroups',
  'datasets',
  'importJobs',
  'predictors',
  'backtestExports',
  'forecasts',
  'forecastExports',
  'explainabilities',
] as const;
export type Kind = (typeof KINDS)[number];

/** ARN resource type → table, for tags and DeleteResourceTree. */
export const ARN_KINDS: Record<string, Kind> = {
  'dataset-group': 'datasetGroups',
  dataset: 'datasets',
  'dataset-import-job': 'importJobs',
  predictor: 'predictors',
  'predictor-backtest-export-job': 'backtestExports',
  forecast: 'forecasts',
  'forecast-export-job': 'forecastExports',
  explainability: 'explainabilities',
};

export const ARN_FIELD: Record<Kind, string> = {
  datasetGroups: 'DatasetGroupArn',
  datasets: 'DatasetArn',
  importJobs: 'DatasetImportJobArn',
  predictors: 'PredictorArn',
  backtestExports: 'PredictorBacktestExportJobArn',
  forecasts: 'ForecastArn',
  forecastExports: 'ForecastExportJobArn',
  explainabilities: 'ExplainabilityArn',
};

/** Amazon Forecast runs at most this many jobs of one Create type at once. */
export const CONCURRENT_JOBS = 3;

/** Resource quotas per account and region (developer guide, 2021). */
export const QUOTAS: Partial<Record<Kind, number>> = {
  datasetGroups: 500,
  datasets: 1500,
  importJobs: 1000,
  predictors: 500,
  // NOTE: the guide prints 10 forecasts, which a daily pipeline would reach
  // in ten days; the sandbox allows 1000 like the export quotas.
  forecasts: 1000,
  forecastExports: 1000,
  backtestExports: 1000,
};

/** Statuses of a create job that has not finished. */
export const RUNNING = ['CREATE_PENDING', 'CREATE_IN_PROGRESS'];

/** Returns the current time in epoch seconds, the unit of Forecast timestamps. */
export function now(): number {
  return Date.now() / 1000;
}

export function notFound(what: string, arn: string): AwsServiceError {
  return new AwsServiceError(
    'ResourceNotFoundException',
    `No ${what} found with ARN ${arn}. Check the ARN, or list the resources to find it.`,
  );
}

export function inUse(message: string): AwsServiceError {
  return new AwsServiceError('ResourceInUseException', message);
}

/** Drops absent members and internal `_` fields from a stored resource. */
export function stripUndefined(row: Row): Row {
  return Object.fromEntries(
    Object.entries(row).filter(
      ([key, value]) => value !== undefined && !key.startsWith('_'),
    ),
  );
}

/**
 * The stored resources of the Forecast service and the work shared by its
 * operations: ARNs, lookups with Forecast's errors, quotas, background jobs
 * and the files of imported data and trained models.
 */
export class ForecastState {
  readonly root: string;
  readonly tables: Record<Kind, JsonFileStore<Row>>;
  readonly pool: WorkerPool;
  readonly jobs = new Set<Promise<void>>();
  readonly logger: SandboxLogger;
  readonly contentCache = new Map<string, DatasetContent>();
  closing = false;

  constructor(readonly options: ForecastServiceOptions) {
    this.root = path.join(options.dataDir, 'forecast');
    this.logger = options.logger;
    this.tables = Object.fromEntries(
      KINDS.map(kind => [
        kind,
        new JsonFileStore<Row>(path.join(this.root, `${kind}.json`)),
      ]),
    ) as Record<Kind, JsonFileStore<Row>>;
    this.pool = new WorkerPool(options.workers);
  }

  arn(context: RequestContext, resource: string): string {
    const region = context.region || this.options.region || 'us-east-1';
    const account =
      context.accountId || this.options.accountId || '000000000000';
    return `arn:aws:forecast:${region}:${account}:${resource}`;
  }

  get(kind: Kind, what: string, arn: unknown): Row {
    const checked = checkArn(ARN_FIELD[kind], arn);
    const row = this.tables[kind].get(checked);
    if (!row) {
      throw notFound(what, checked);
    }
    return row;
  }

  checkUnused(kind: Kind, arn: string, what: string): void {
    if (this.tables[kind].has(arn)) {
      throw new AwsServiceError(
        'ResourceAlreadyExistsException',
        `A ${what} with ARN ${arn} already exists. Choose another name, or delete the existing ${what} first.`,
      );
    }
  }

  checkQuota(kind: Kind, context: RequestContext): void {
    const quota = QUOTAS[kind];
    const prefix = this.arn(context, '');
    const count = this.tables[kind]
      .entries()
      .filter(([arn]) => arn.startsWith(prefix)).length;
    if (quota !== undefined && count >= quota) {
      throw new AwsServiceError(
        'LimitExceededException',
        `Quota limit of ${quota} ${kind} has been reached. Delete unused resources first.`,
      );
    }
  }

  checkConcurrency(kind: Kind, what: string): void {
    const running = this.tables[kind]
      .values()
      .filter(row => RUNNING.includes(row.Status)).length;
    if (running >= CONCURRENT_JOBS) {
      throw new AwsServiceError(
        'LimitExceededException',
        `Only ${CONCURRENT_JOBS} ${what} jobs can run concurrently and ${running} are running. Retry when one finishes.`,
      );
    }
  }

  create(kind: Kind, row: Row): void {
    const time = now();
    this.tables[kind].set(row[ARN_FIELD[kind]], {
      ...row,
      CreationTime: time,
      LastModificationTime: time,
    });
  }

  setStatus(kind: Kind, arn: string, change: Row): void {
    if (this.tables[kind].has(arn)) {
      this.tables[kind].update(arn, row => ({
        ...row,
        ...change,
        LastModificationTime: now(),
      }));
    }
  }

  /**
   * Runs a create job in the background: CREATE_PENDING until the next
   * turn of the event loop, then CREATE_IN_PROGRESS, then ACTIVE, or
   * CREATE_FAILED with the error's message.
   */
  startJob(
    kind: Kind,
    arn: string,
    work: () => Promise<Row | void>,
    after?: () => void,
  ): void {
    const job = (async () => {
      await new Promise(resolve => setTimeout(resolve, 20));
      if (this.closing || !this.tables[kind].has(arn)) {
        return;
      }
      this.setStatus(kind, arn, { Status: 'CREATE_IN_PROGRESS' });
      this.logger.info(`Forecast job started: ${arn}`);
      try {
        const result = await work();
        this.setStatus(kind, arn, { ...(result ?? {}), Status: 'ACTIVE' });
        this.logger.info(`Forecast job finished: ${arn}`);
      } catch (error) {
        if (this.closing) {
          return;
        }
        const message = error instanceof Error ? error.message : String(error);
        const known =
          error instanceof AwsServiceError ||
          (error instanceof Error && error.name === 'ImportError');
        this.setStatus(kind, arn, {
          Status: 'CREATE_FAILED',
          Message: known ? message : `Internal error: ${message}`,
        });
        this.logger.warn(`Forecast job failed: ${arn}: ${message}`);
      } finally {
        after?.();
      }
    })();
    this.jobs.add(job);
    job.finally(() => this.jobs.delete(job));
  }

  contentFile(datasetArn: string): string {
    const name = datasetArn.replace(/[^a-zA-Z0-9_]/g, '_');
    return path.join(this.root, 'data', `${name}.bin`);
  }

  loadContent(datasetArn: string): DatasetContent | undefined {
    const cached = this.contentCache.get(datasetArn);
    if (cached) {
      return cached;
    }
    const file = this.contentFile(datasetArn);
    if (!fs.existsSync(file)) {
      return undefined;
    }
    const content = readContent(file);
    this.contentCache.clear();
    this.contentCache.set(datasetArn, content);
    return content;
  }

  modelFile(kind: string, arn: string): string {
    return path.join(
      this.root,
      kind,
      `${arn
        .split(':')
        .pop()!
        .replace(/[^a-zA-Z0-9_]/g, '_')}.bin`,
    );
  }

  tagsOf(input: Record<string, unknown>): Tag[] {
    return checkTags(input.Tags);
  }

  importJobsOf(datasetArn: string): Row[] {
    return this.tables.importJobs
      .values()
      .filter(job => job.DatasetArn === datasetArn);
  }

  deleteDatasetRow(arn: string): void {
    this.tables.datasets.delete(arn);
    this.contentCache.delete(arn);
    fs.rmSync(this.contentFile(arn), { force: true });
    for (const group of this.tables.datasetGroups.values()) {
      if (group.DatasetArns.includes(arn)) {
        this.tables.datasetGroups.update(group.DatasetGroupArn, row => ({
          ...row,
          DatasetArns: row.DatasetArns.filter((a: string) => a !== arn),
        }));
      }
    }
    this.logger.info(`Deleted dataset ${arn}`);
  }

  checkDeletable(row: Row, arn: string): void {
    if (RUNNING.includes(row.Status)) {
      throw inUse(
        `${arn} is ${row.Status}; only ACTIVE or CREATE_FAILED resources can be deleted. Wait for it to finish.`,
      );
    }
  }

  async putExport(bucket: string, key: string, text: string) {
    if (!(await this.options.objects.bucketExists(bucket))) {
      throw invalidInput(
        `The destination bucket ${bucket} does not exist. Create it or choose another Destination.S3Config.Path.`,
      );
    }
    await this.options.objects.putObject(
      bucket,
      key,
      Buffer.from(text),
      'text/csv',
    );
    this.logger.info(`Wrote export s3://${bucket}/${key}`);
  }

  /** The objects an import reads: the file at the path, or those under it. */
  async listInputFiles(
    s3Path: string,
  ): Promise<{ bucket: string; key: string }[]> {
    const { bucket, key } = parseS3Path('DataSource.S3Config.Path', s3Path);
    if (!(await this.options.objects.bucketExists(bucket))) {
      throw invalidInput(
        `The S3 bucket ${bucket} of DataSource.S3Config.Path ${s3Path} does not exist. Create it and upload the data first.`,
      );
    }
    const objects = await this.options.objects.listObjects(bucket, key);
    const exact = objects.find(object => object.key === key);
    const selected = exact
      ? [exact]
      : objects.filter(object => {
          const file = object.key.split('/').pop() ?? '';
          return object.size > 0 && /[a-zA-Z]/.test(file);
        });
    if (selected.length === 0) {
      throw invalidInput(
        `No data files found at ${s3Path}. Upload the CSV files under that prefix (file names must contain a letter) and retry.`,
      );
    }
    if (selected.length > 10000) {
      throw invalidInput(
        `${s3Path} contains ${selected.length} files; an import reads at most 10,000.`,
      );
    }
    return selected.map(object => ({ bucket, key: object.key }));
  }

  kindOf(arn: string): Kind | undefined {
    const resource = arn.split(':')[5] ?? '';
    return ARN_KINDS[resource.split('/')[0]];
  }

  resourceOf(arnValue: unknown): { kind: Kind; row: Row } {
    const arn = checkArn('ResourceArn', arnValue);
    const kind = this.kindOf(arn);
    const row = kind ? this.tables[kind].get(arn) : undefined;
    if (!kind || !row) {
      throw notFound('resource', arn);
    }
    return { kind, row };
  }

  /**
   * Lists the resources under a dataset group, predictor or forecast, children
   * first: forecast exports and explainabilities, forecasts, backtest
   * exports, predictors. Datasets are not part of a dataset group's tree.
   */
  childrenOf(arn: string): string[] {
    const kind = this.kindOf(arn);
    let predictors: string[] = [];
    if (kind === 'datasetGroups') {
      predictors = this.tables.predictors
        .values()
        .filter(p => p._datasetGroupArn === arn)
        .map(p => p.PredictorArn);
    } else if (kind === 'predictors') {
      predictors = [arn];
    }
    const forecasts =
      kind === 'forecasts'
        ? [arn]
        : this.tables.forecasts
            .values()
            .filter(f => predictors.includes(f.PredictorArn))
            .map(f => f.ForecastArn);
    const owners = new Set([...predictors, ...forecasts]);
    const exports = this.tables.forecastExports
      .values()
      .filter(job => forecasts.includes(job.ForecastArn))
      .map(job => job.ForecastExportJobArn);
    const explainabilities = this.tables.explainabilities
      .values()
      .filter(e => owners.has(e.ResourceArn))
      .map(e => e.ExplainabilityArn);
    const backtests = this.tables.backtestExports
      .values()
      .filter(job => predictors.includes(job.PredictorArn))
      .map(job => job.PredictorBacktestExportJobArn);
    return [
      ...exports,
      ...explainabilities,
      ...forecasts,
      ...backtests,
      ...predictors,
    ].filter(child => child !== arn);
  }

  deleteRow(kind: Kind, arn: string): void {
    this.tables[kind].delete(arn);
    if (kind === 'predictors' || kind === 'forecasts') {
      fs.rmSync(this.modelFile(kind, arn), { force: true });
    }
    this.logger.info(`Deleted ${arn}`);
  }
}
