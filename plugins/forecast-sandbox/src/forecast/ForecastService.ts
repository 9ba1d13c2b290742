/**
 * The sandbox Amazon Forecast service (awsJson1_1, `AmazonForecast.<Op>`).
 * Resources are kept per kind in JSON tables under `<dataDir>/forecast/`;
 * imported data, trained models and forecasts in binary files beside them.
 * Create calls return at once and run their job in the background:
 * CREATE_PENDING, then CREATE_IN_PROGRESS, then ACTIVE or CREATE_FAILED.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ulid } from 'ulid';
import { AwsServiceError } from '../core/errors';
import { JsonFileStore } from '../core/JsonFileStore';
import type {
  JsonService,
  ObjectStore,
  RequestContext,
  SandboxLogger,
} from '../core/types';
import {
  forecastTypes as typedForecasts,
  type OptimizationMetric,
} from '../engine/autoModel';
import {
  approximateDuration,
  parseFrequency,
  type Frequency,
} from '../engine/frequency';
import { WorkerPool } from '../engine/WorkerPool';
import {
  mergeIncremental,
  readArraysFile,
  readContent,
  writeArraysFile,
  writeContent,
} from './contentFiles';
import {
  ATTRIBUTE_TYPES,
  DATASET_TYPES,
  DOMAINS,
  DOMAIN_FIELDS,
  OPTIMIZATION_METRICS,
  type Domain,
} from './domains';
import {
  backtestExportCsv,
  forecastExportCsv,
  joinKey,
  partFileName,
  type ForecastValues,
} from './exportFiles';
import type {
  DatasetContent,
  ImportFile,
  ParsedImport,
  SchemaAttribute,
} from './importParser';
import { listPage } from './listing';
import {
  AGGREGATION_METHODS,
  prepareSeries,
  TARGET_FILL_METHODS,
  type TargetTransformations,
} from './prepareSeries';
import { DEFAULT_TIMESTAMP_FORMAT } from './timestamps';
import {
  ARRAYS_PER_SERIES,
  trainPredictor,
  type BacktestAccuracy,
  type PredictorModelHeader,
} from './training';
import {
  checkArn,
  checkEnum,
  checkForecastTypes,
  checkFormat,
  checkName,
  checkS3Config,
  checkTags,
  invalidInput,
  parseS3Path,
  type Tag,
} from './validation';

/** Options of {@link createForecastService}. */
export interface ForecastServiceOptions {
  /** The sandbox data folder; Forecast keeps its state in `forecast/`. */
  dataDir: string;
  objects: ObjectStore;
  logger: SandboxLogger;
  /** Account of ARNs when a request carries none. Defaults to 000000000000. */
  accountId?: string;
  /** Region of ARNs when a request carries none. Defaults to us-east-1. */
  region?: string;
  /** Worker threads for parsing and training; defaults to cores − 1 (1-4). */
  workers?: number;
}

/** The Forecast service, plus a wait for background jobs (for tests). */
export interface ForecastService extends JsonService {
  /** Resolves when no create job is pending or running. */
  whenIdle(): Promise<void>;
}

type Row = Record<string, any>;

const KINDS = [
  'datasetGroups',
  'datasets',
  'importJobs',
  'predictors',
  'backtestExports',
  'forecasts',
  'forecastExports',
  'explainabilities',
] as const;
type Kind = (typeof KINDS)[number];

/** ARN resource type → table, for tags and DeleteResourceTree. */
const ARN_KINDS: Record<string, Kind> = {
  'dataset-group': 'datasetGroups',
  dataset: 'datasets',
  'dataset-import-job': 'importJobs',
  predictor: 'predictors',
  'predictor-backtest-export-job': 'backtestExports',
  forecast: 'forecasts',
  'forecast-export-job': 'forecastExports',
  explainability: 'explainabilities',
};

const ARN_FIELD: Record<Kind, string> = {
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
const CONCURRENT_JOBS = 3;

/** Resource quotas per account and region (developer guide, 2021). */
const QUOTAS: Partial<Record<Kind, number>> = {
  datasetGroups: 500,
  datasets: 1500,
  importJobs: 1000,
  predictors: 500,
  forecasts: 1000,
  forecastExports: 1000,
  backtestExports: 1000,
};

const RUNNING = ['CREATE_PENDING', 'CREATE_IN_PROGRESS'];

function now(): number {
  return Date.now() / 1000;
}

function notFound(what: string, arn: string): AwsServiceError {
  return new AwsServiceError(
    'ResourceNotFoundException',
    `No ${what} found with ARN ${arn}. Check the ARN, or list the resources to find it.`,
  );
}

function inUse(message: string): AwsServiceError {
  return new AwsServiceError('ResourceInUseException', message);
}

function stripUndefined(row: Row): Row {
  return Object.fromEntries(
    Object.entries(row).filter(
      ([key, value]) => value !== undefined && !key.startsWith('_'),
    ),
  );
}

function finiteOnly(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(finiteOnly);
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => typeof v !== 'number' || Number.isFinite(v))
        .map(([k, v]) => [k, finiteOnly(v)]),
    );
  }
  return value;
}

/**
 * Creates the sandbox Forecast service. Call `recover()` once after
 * creating it, and `close()` to stop its worker threads.
 */
export function createForecastService(
  options: ForecastServiceOptions,
): ForecastService {
  return new SandboxForecast(options);
}

class SandboxForecast implements ForecastService {
  private readonly root: string;
  private readonly tables: Record<Kind, JsonFileStore<Row>>;
  private readonly pool: WorkerPool;
  private readonly jobs = new Set<Promise<void>>();
  private readonly logger: SandboxLogger;
  private readonly contentCache = new Map<string, DatasetContent>();
  private closing = false;

  constructor(private readonly options: ForecastServiceOptions) {
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

  async handle(
    operation: string,
    input: Record<string, unknown>,
    context: RequestContext,
  ): Promise<Record<string, unknown>> {
    const handler = (this as unknown as Record<string, unknown>)[
      `op${operation}`
    ];
    if (typeof handler !== 'function') {
      throw new AwsServiceError(
        'UnknownOperationException',
        `The Forecast sandbox does not implement ${operation}.`,
      );
    }
    const result = await handler.call(this, input ?? {}, context);
    return finiteOnly(result ?? {}) as Record<string, unknown>;
  }

  async recover(): Promise<void> {
    for (const kind of KINDS) {
      for (const [arn, row] of this.tables[kind].entries()) {
        if (RUNNING.includes(row.Status)) {
          this.tables[kind].update(arn, record => ({
            ...record,
            Status: 'CREATE_FAILED',
            Message:
              'The Forecast sandbox restarted while this job was running. Delete it and create it again.',
            LastModificationTime: now(),
          }));
          this.logger.warn(`Marked ${arn} CREATE_FAILED after a restart`);
        }
        if (kind === 'datasets' && row.Status !== 'ACTIVE') {
          this.tables.datasets.update(arn, record => ({
            ...record,
            Status: 'ACTIVE',
          }));
        }
      }
    }
  }

  async close(): Promise<void> {
    // Jobs cut short by the shutdown keep their status, so that recover()
    // reports them after the next start.
    this.closing = true;
    await this.pool.close();
    await Promise.allSettled([...this.jobs]);
  }

  async whenIdle(): Promise<void> {
    while (this.jobs.size > 0) {
      await Promise.allSettled([...this.jobs]);
    }
  }

  // ---- helpers -----------------------------------------------------------

  private arn(context: RequestContext, resource: string): string {
    const region = context.region || this.options.region || 'us-east-1';
    const account =
      context.accountId || this.options.accountId || '000000000000';
    return `arn:aws:forecast:${region}:${account}:${resource}`;
  }

  private get(kind: Kind, what: string, arn: unknown): Row {
    const checked = checkArn(ARN_FIELD[kind], arn);
    const row = this.tables[kind].get(checked);
    if (!row) {
      throw notFound(what, checked);
    }
    return row;
  }

  private checkUnused(kind: Kind, arn: string, what: string): void {
    if (this.tables[kind].has(arn)) {
      throw new AwsServiceError(
        'ResourceAlreadyExistsException',
        `A ${what} with ARN ${arn} already exists. Choose another name, or delete the existing ${what} first.`,
      );
    }
  }

  private checkQuota(kind: Kind, context: RequestContext): void {
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

  private checkConcurrency(kind: Kind, what: string): void {
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

  private create(kind: Kind, row: Row): void {
    const time = now();
    this.tables[kind].set(row[ARN_FIELD[kind]], {
      ...row,
      CreationTime: time,
      LastModificationTime: time,
    });
  }

  private setStatus(kind: Kind, arn: string, change: Row): void {
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
  private startJob(
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

  private contentFile(datasetArn: string): string {
    const name = datasetArn.replace(/[^a-zA-Z0-9_]/g, '_');
    return path.join(this.root, 'data', `${name}.bin`);
  }

  private loadContent(datasetArn: string): DatasetContent | undefined {
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

  private modelFile(kind: string, arn: string): string {
    return path.join(
      this.root,
      kind,
      `${arn
        .split(':')
        .pop()!
        .replace(/[^a-zA-Z0-9_]/g, '_')}.bin`,
    );
  }

  private tagsOf(input: Record<string, unknown>): Tag[] {
    return checkTags(input.Tags);
  }

  // ---- dataset groups ----------------------------------------------------

  opCreateDatasetGroup(input: Row, context: RequestContext) {
    const name = checkName('DatasetGroupName', input.DatasetGroupName);
    const domain = checkEnum('Domain', input.Domain, DOMAINS);
    const tags = this.tagsOf(input);
    const arn = this.arn(context, `dataset-group/${name}`);
    this.checkUnused('datasetGroups', arn, 'dataset group');
    this.checkQuota('datasetGroups', context);
    const datasetArns = this.checkGroupDatasets(input.DatasetArns, domain);
    this.create('datasetGroups', {
      DatasetGroupName: name,
      DatasetGroupArn: arn,
      Domain: domain,
      DatasetArns: datasetArns,
      Status: 'ACTIVE',
      Tags: tags,
    });
    this.logger.info(`Created dataset group ${arn}`);
    return { DatasetGroupArn: arn };
  }

  private checkGroupDatasets(value: unknown, domain: Domain): string[] {
    if (value === undefined) {
      return [];
    }
    if (!Array.isArray(value)) {
      throw invalidInput('DatasetArns must be a list of dataset ARNs.');
    }
    const types = new Set<string>();
    for (const arn of value) {
      const dataset = this.get('datasets', 'dataset', arn);
      if (dataset.Domain !== domain) {
        throw invalidInput(
          `Dataset ${arn} has domain ${dataset.Domain} but the dataset group has domain ${domain}; both must have the same domain.`,
        );
      }
      if (types.has(dataset.DatasetType)) {
        throw invalidInput(
          `DatasetArns contains two datasets of type ${dataset.DatasetType}; a dataset group holds at most one dataset of each type.`,
        );
      }
      types.add(dataset.DatasetType);
    }
    return value as string[];
  }

  opUpdateDatasetGroup(input: Row) {
    const group = this.get(
      'datasetGroups',
      'dataset group',
      input.DatasetGroupArn,
    );
    const datasetArns = this.checkGroupDatasets(
      input.DatasetArns ?? [],
      group.Domain,
    );
    this.setStatus('datasetGroups', group.DatasetGroupArn, {
      DatasetArns: datasetArns,
    });
    return {};
  }

  opDescribeDatasetGroup(input: Row) {
    const row = this.get(
      'datasetGroups',
      'dataset group',
      input.DatasetGroupArn,
    );
    const { Tags: _tags, ...rest } = row;
    return stripUndefined(rest);
  }

  opListDatasetGroups(input: Row) {
    const page = listPage(
      this.tables.datasetGroups.values(),
      input,
      {},
      row => row.CreationTime,
    );
    return {
      DatasetGroups: page.items.map(row => ({
        DatasetGroupArn: row.DatasetGroupArn,
        DatasetGroupName: row.DatasetGroupName,
        CreationTime: row.CreationTime,
        LastModificationTime: row.LastModificationTime,
      })),
      NextToken: page.nextToken,
    };
  }

  opDeleteDatasetGroup(input: Row) {
    const group = this.get(
      'datasetGroups',
      'dataset group',
      input.DatasetGroupArn,
    );
    const children = this.childrenOf(group.DatasetGroupArn);
    if (children.length > 0) {
      throw inUse(
        `Dataset group ${group.DatasetGroupArn} still has ${children.length} predictors, forecasts or exports (for example ${children[0]}). Delete them first, or call DeleteResourceTree.`,
      );
    }
    this.tables.datasetGroups.delete(group.DatasetGroupArn);
    this.logger.info(`Deleted dataset group ${group.DatasetGroupArn}`);
    return {};
  }

  // ---- datasets ----------------------------------------------------------

  opCreateDataset(input: Row, context: RequestContext) {
    const name = checkName('DatasetName', input.DatasetName);
    const domain = checkEnum('Domain', input.Domain, DOMAINS);
    const type = checkEnum('DatasetType', input.DatasetType, DATASET_TYPES);
    const tags = this.tagsOf(input);
    const attributes = this.checkSchema(input.Schema, domain, type);
    let frequency: string | undefined;
    if (input.DataFrequency !== undefined) {
      if (!parseFrequency(String(input.DataFrequency))) {
        throw invalidInput(
          `Invalid DataFrequency ${JSON.stringify(
            input.DataFrequency,
          )}: use Y, M, W, D, H or min with an optional multiple, such as 1min, 15min, 2H or 3M.`,
        );
      }
      frequency = String(input.DataFrequency);
    } else if (type === 'RELATED_TIME_SERIES') {
      throw invalidInput(
        'DataFrequency is required for a RELATED_TIME_SERIES dataset.',
      );
    }
    const arn = this.arn(context, `dataset/${name}`);
    this.checkUnused('datasets', arn, 'dataset');
    this.checkQuota('datasets', context);
    this.create('datasets', {
      DatasetName: name,
      DatasetArn: arn,
      Domain: domain,
      DatasetType: type,
      DataFrequency: frequency,
      Schema: { Attributes: attributes },
      EncryptionConfig: input.EncryptionConfig,
      Status: 'ACTIVE',
      Tags: tags,
    });
    this.logger.info(`Created dataset ${arn}`);
    return { DatasetArn: arn };
  }

  private checkSchema(
    schema: unknown,
    domain: Domain,
    type: (typeof DATASET_TYPES)[number],
  ): SchemaAttribute[] {
    const attributes = (schema as { Attributes?: unknown } | undefined)
      ?.Attributes;
    if (!Array.isArray(attributes) || attributes.length === 0) {
      throw invalidInput('Schema.Attributes must list at least one attribute.');
    }
    if (attributes.length > 100) {
      throw invalidInput('Schema.Attributes can list at most 100 attributes.');
    }
    const names = new Set<string>();
    const checked = attributes.map((attribute: Row) => {
      const name = checkName('AttributeName', attribute?.AttributeName);
      checkEnum(
        `AttributeType of ${name}`,
        attribute.AttributeType,
        ATTRIBUTE_TYPES,
      );
      if (names.has(name)) {
        throw invalidInput(`Schema lists attribute ${name} twice.`);
      }
      names.add(name);
      return { AttributeName: name, AttributeType: attribute.AttributeType };
    });
    const { identifier, target } = DOMAIN_FIELDS[domain];
    const required: [string, string[]][] = [[identifier, ['string']]];
    if (type !== 'ITEM_METADATA') {
      required.push(['timestamp', ['timestamp']]);
    }
    if (type === 'TARGET_TIME_SERIES') {
      required.push([target, ['float', 'integer']]);
    }
    for (const [name, types] of required) {
      const attribute = checked.find(a => a.AttributeName === name);
      if (!attribute) {
        throw invalidInput(
          `The ${type} schema of domain ${domain} must include the attribute ${name} (${types.join(
            ' or ',
          )}).`,
        );
      }
      if (!types.includes(attribute.AttributeType)) {
        throw invalidInput(
          `Attribute ${name} must have type ${types.join(' or ')}, not ${
            attribute.AttributeType
          }.`,
        );
      }
    }
    return checked;
  }

  opDescribeDataset(input: Row) {
    const row = this.get('datasets', 'dataset', input.DatasetArn);
    const { Tags: _tags, ...rest } = row;
    return stripUndefined(rest);
  }

  opListDatasets(input: Row) {
    const page = listPage(
      this.tables.datasets.values(),
      input,
      {},
      row => row.CreationTime,
    );
    return {
      Datasets: page.items.map(row => ({
        DatasetArn: row.DatasetArn,
        DatasetName: row.DatasetName,
        DatasetType: row.DatasetType,
        Domain: row.Domain,
        CreationTime: row.CreationTime,
        LastModificationTime: row.LastModificationTime,
      })),
      NextToken: page.nextToken,
    };
  }

  opDeleteDataset(input: Row) {
    const dataset = this.get('datasets', 'dataset', input.DatasetArn);
    const jobs = this.importJobsOf(dataset.DatasetArn);
    if (jobs.length > 0) {
      throw inUse(
        `Dataset ${dataset.DatasetArn} still has ${jobs.length} import jobs. Delete them first, or call DeleteResourceTree.`,
      );
    }
    this.deleteDatasetRow(dataset.DatasetArn);
    return {};
  }

  private deleteDatasetRow(arn: string): void {
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

  private importJobsOf(datasetArn: string): Row[] {
    return this.tables.importJobs
      .values()
      .filter(job => job.DatasetArn === datasetArn);
  }

  // ---- import jobs -------------------------------------------------------

  async opCreateDatasetImportJob(input: Row, context: RequestContext) {
    const name = checkName('DatasetImportJobName', input.DatasetImportJobName);
    const dataset = this.get('datasets', 'dataset', input.DatasetArn);
    const source = checkS3Config('DataSource', input.DataSource);
    const format = checkFormat(input.Format);
    const mode = checkEnum('ImportMode', input.ImportMode ?? 'FULL', [
      'FULL',
      'INCREMENTAL',
    ] as const);
    const timestampFormat = String(
      input.TimestampFormat ?? DEFAULT_TIMESTAMP_FORMAT,
    );
    const tags = this.tagsOf(input);
    const arn = this.arn(
      context,
      `dataset-import-job/${dataset.DatasetName}/${name}`,
    );
    this.checkUnused('importJobs', arn, 'dataset import job');
    if (
      this.importJobsOf(dataset.DatasetArn).some(j =>
        RUNNING.includes(j.Status),
      )
    ) {
      throw inUse(
        `Dataset ${dataset.DatasetArn} has an import job in progress. Wait until it is ACTIVE or CREATE_FAILED, then retry.`,
      );
    }
    if (mode === 'INCREMENTAL' && !this.loadContent(dataset.DatasetArn)) {
      throw invalidInput(
        `ImportMode INCREMENTAL needs data already imported into ${dataset.DatasetArn}; run a FULL import first.`,
      );
    }
    this.checkQuota('importJobs', context);
    this.checkConcurrency('importJobs', 'dataset import');
    const files = await this.listInputFiles(source.Path);

    this.create('importJobs', {
      DatasetImportJobName: name,
      DatasetImportJobArn: arn,
      DatasetArn: dataset.DatasetArn,
      TimestampFormat: timestampFormat,
      TimeZone: input.TimeZone,
      UseGeolocationForTimeZone: input.UseGeolocationForTimeZone ?? false,
      GeolocationFormat: input.GeolocationFormat,
      DataSource: input.DataSource,
      Format: format,
      ImportMode: mode,
      Status: 'CREATE_PENDING',
      Tags: tags,
    });
    this.setStatus('datasets', dataset.DatasetArn, {
      Status: 'UPDATE_IN_PROGRESS',
    });
    this.logger.info(
      `Import ${arn} started: ${files.length} files from ${source.Path}`,
    );
    this.startJob(
      'importJobs',
      arn,
      () => this.runImport(dataset, files, timestampFormat, mode),
      () =>
        this.setStatus('datasets', dataset.DatasetArn, { Status: 'ACTIVE' }),
    );
    return { DatasetImportJobArn: arn };
  }

  /** The objects an import reads: the file at the path, or those under it. */
  private async listInputFiles(
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

  private async runImport(
    dataset: Row,
    locations: { bucket: string; key: string }[],
    timestampFormat: string,
    mode: 'FULL' | 'INCREMENTAL',
  ): Promise<Row> {
    const files: ImportFile[] = [];
    for (const { bucket, key } of locations) {
      const object = await this.options.objects.getObject(bucket, key);
      files.push({ path: `s3://${bucket}/${key}`, body: object.body });
    }
    const parsed = await this.pool.run<ParsedImport>({
      type: 'parse',
      spec: {
        datasetType: dataset.DatasetType,
        attributes: dataset.Schema.Attributes,
        timestampFormat,
        files,
      },
    });
    if (parsed.rowCount === 0) {
      throw invalidInput(
        `The files at ${files[0].path} contain no data rows; upload CSV rows in the schema's column order.`,
      );
    }
    const existing =
      mode === 'INCREMENTAL' ? this.loadContent(dataset.DatasetArn) : undefined;
    const content = existing
      ? mergeIncremental(existing, parsed.content)
      : parsed.content;
    writeContent(this.contentFile(dataset.DatasetArn), content);
    this.contentCache.clear();
    return {
      FieldStatistics: parsed.statistics,
      DataSize: parsed.byteCount / 1e9,
    };
  }

  opDescribeDatasetImportJob(input: Row) {
    const row = this.get(
      'importJobs',
      'dataset import job',
      input.DatasetImportJobArn,
    );
    const { Tags: _tags, ...rest } = row;
    return stripUndefined({
      ...rest,
      EstimatedTimeRemainingInMinutes: RUNNING.includes(row.Status)
        ? 1
        : undefined,
    });
  }

  opListDatasetImportJobs(input: Row) {
    const page = listPage(
      this.tables.importJobs.values(),
      input,
      { DatasetArn: row => row.DatasetArn, Status: row => row.Status },
      row => row.CreationTime,
    );
    return {
      DatasetImportJobs: page.items.map(row =>
        stripUndefined({
          DatasetImportJobArn: row.DatasetImportJobArn,
          DatasetImportJobName: row.DatasetImportJobName,
          DataSource: row.DataSource,
          Status: row.Status,
          Message: row.Message,
          CreationTime: row.CreationTime,
          LastModificationTime: row.LastModificationTime,
          ImportMode: row.ImportMode,
        }),
      ),
      NextToken: page.nextToken,
    };
  }

  opDeleteDatasetImportJob(input: Row) {
    const row = this.get(
      'importJobs',
      'dataset import job',
      input.DatasetImportJobArn,
    );
    this.checkDeletable(row, row.DatasetImportJobArn);
    this.tables.importJobs.delete(row.DatasetImportJobArn);
    return {};
  }

  private checkDeletable(row: Row, arn: string): void {
    if (RUNNING.includes(row.Status)) {
      throw inUse(
        `${arn} is ${row.Status}; only ACTIVE or CREATE_FAILED resources can be deleted. Wait for it to finish.`,
      );
    }
  }

  // ---- predictors ----------------------------------------------------------

  async opCreateAutoPredictor(input: Row, context: RequestContext) {
    const name = checkName('PredictorName', input.PredictorName);
    const tags = this.tagsOf(input);
    const taken = this.tables.predictors
      .values()
      .some(
        row =>
          row.PredictorName === name &&
          row.PredictorArn.startsWith(this.arn(context, 'predictor/')),
      );
    if (taken) {
      throw new AwsServiceError(
        'ResourceAlreadyExistsException',
        `A predictor named ${name} already exists. Choose another name, or delete the existing predictor first.`,
      );
    }

    const reference =
      input.ReferencePredictorArn !== undefined
        ? this.get('predictors', 'predictor', input.ReferencePredictorArn)
        : undefined;
    if (reference) {
      const extra = Object.keys(input).filter(
        key =>
          !['PredictorName', 'ReferencePredictorArn', 'Tags'].includes(key),
      );
      if (extra.length > 0) {
        throw invalidInput(
          `A retrain with ReferencePredictorArn takes only PredictorName, ReferencePredictorArn and Tags; remove ${extra.join(
            ', ',
          )}. The reference predictor's settings are reused.`,
        );
      }
      if (reference.Status !== 'ACTIVE') {
        throw inUse(
          `Reference predictor ${reference.PredictorArn} is ${reference.Status}; it must be ACTIVE to retrain from.`,
        );
      }
    }
    const settings = reference
      ? {
          ...reference,
          DataConfig: reference.DataConfig,
        }
      : input;

    const dataConfig = settings.DataConfig as Row | undefined;
    if (!dataConfig) {
      throw invalidInput(
        'DataConfig with a DatasetGroupArn is required for a new predictor (or give ReferencePredictorArn to retrain).',
      );
    }
    const group = this.get(
      'datasetGroups',
      'dataset group',
      dataConfig.DatasetGroupArn,
    );
    const datasets = (group.DatasetArns as string[]).map(arn =>
      this.tables.datasets.get(arn),
    );
    const target = datasets.find(d => d?.DatasetType === 'TARGET_TIME_SERIES');
    if (!target) {
      throw invalidInput(
        `Dataset group ${group.DatasetGroupArn} has no TARGET_TIME_SERIES dataset; create one and add it to the group.`,
      );
    }
    for (const dataset of datasets) {
      if (
        dataset &&
        this.importJobsOf(dataset.DatasetArn).some(job =>
          RUNNING.includes(job.Status),
        )
      ) {
        throw inUse(
          `Dataset ${dataset.DatasetArn} has an import job in progress. Wait until it is ACTIVE, then retry.`,
        );
      }
    }
    const content = this.loadContent(target.DatasetArn);
    if (!content || content.series.length === 0) {
      throw invalidInput(
        `Dataset ${target.DatasetArn} has no imported data; run a dataset import job first.`,
      );
    }

    const frequencyText = String(settings.ForecastFrequency ?? '');
    const frequency = parseFrequency(frequencyText);
    if (!frequency) {
      throw invalidInput(
        `Invalid ForecastFrequency ${JSON.stringify(
          settings.ForecastFrequency,
        )}: use Y, M, W, D, H or min with an optional multiple, such as 15min, H, D or W.`,
      );
    }
    this.checkFrequencies(frequency, target, datasets);

    const types = checkForecastTypes(settings.ForecastTypes);
    const metric = checkEnum(
      'OptimizationMetric',
      settings.OptimizationMetric ?? 'AverageWeightedQuantileLoss',
      OPTIMIZATION_METRICS,
    );
    const { identifier, target: targetField } =
      DOMAIN_FIELDS[target.Domain as Domain];
    const dimensions = this.checkDimensions(
      settings.ForecastDimensions,
      target,
      identifier,
    );
    const transformations = this.checkAttributeConfigs(
      dataConfig.AttributeConfigs,
      targetField,
      datasets,
    );

    const prepared = prepareSeries(content, {
      identifier,
      target: targetField,
      dimensions,
      frequency,
      transformations,
    });
    const horizon = this.checkHorizon(
      settings.ForecastHorizon,
      prepared.series.map(s => s.values.length),
      reference !== undefined,
    );
    for (const series of prepared.series) {
      if (series.values.length < horizon + 1) {
        throw invalidInput(
          `Item ${[series.item, ...series.dimensions].join('/')} has ${
            series.values.length
          } values at frequency ${
            frequency.text
          }, but a predictor with ForecastHorizon ${horizon} needs at least ${
            horizon + 1
          } per item (the backtest window plus earlier data). Add history for that item or remove it from the data.`,
        );
      }
    }
    this.checkQuota('predictors', context);
    this.checkConcurrency('predictors', 'predictor training');

    const arn = this.arn(context, `predictor/${name}_${ulid()}`);
    const importJobs = datasets.flatMap(dataset =>
      dataset
        ? this.importJobsOf(dataset.DatasetArn)
            .filter(job => job.Status === 'ACTIVE')
            .map(job => job.DatasetImportJobArn)
        : [],
    );
    this.create('predictors', {
      PredictorArn: arn,
      PredictorName: name,
      ForecastHorizon: horizon,
      ForecastTypes: types,
      ForecastFrequency: frequency.text,
      ForecastDimensions: dimensions,
      DatasetImportJobArns: importJobs,
      DataConfig: dataConfig,
      EncryptionConfig: settings.EncryptionConfig,
      ReferencePredictorSummary: reference
        ? { Arn: reference.PredictorArn, State: 'Active' }
        : undefined,
      OptimizationMetric: metric,
      ExplainPredictor: settings.ExplainPredictor ?? false,
      TimeAlignmentBoundary: settings.TimeAlignmentBoundary,
      MonitorConfig: settings.MonitorConfig,
      Status: 'CREATE_PENDING',
      Tags: tags,
      _datasetGroupArn: group.DatasetGroupArn,
      _identifier: identifier,
    });
    this.logger.info(
      `Predictor ${arn} training started: ${prepared.series.length} series, horizon ${horizon}`,
    );
    this.startJob('predictors', arn, async () => {
      const started = Date.now();
      const trained = await trainPredictor({
        series: prepared.series,
        end: prepared.end,
        frequency,
        horizon,
        forecastTypes: types,
        metric: metric as OptimizationMetric,
        pool: this.pool,
      });
      writeArraysFile(
        this.modelFile('predictors', arn),
        trained.header,
        trained.arrays,
      );
      this.logger.info(
        `Predictor ${arn} trained in ${Date.now() - started} ms`,
      );
      return { _accuracy: trained.accuracy };
    });
    return { PredictorArn: arn };
  }

  private checkFrequencies(
    frequency: Frequency,
    target: Row,
    datasets: (Row | undefined)[],
  ): void {
    if (target.DataFrequency) {
      const data = parseFrequency(target.DataFrequency)!;
      if (approximateDuration(frequency) < approximateDuration(data)) {
        throw invalidInput(
          `ForecastFrequency ${frequency.text} is finer than the target time series' DataFrequency ${data.text}; the forecast frequency must be equal to or coarser than the data frequency.`,
        );
      }
    }
    const related = datasets.find(
      d => d?.DatasetType === 'RELATED_TIME_SERIES',
    );
    if (related && related.DataFrequency !== frequency.text) {
      throw invalidInput(
        `ForecastFrequency ${frequency.text} differs from the related time series' DataFrequency ${related.DataFrequency}; they must be equal.`,
      );
    }
  }

  private checkDimensions(
    value: unknown,
    target: Row,
    identifier: string,
  ): string[] {
    if (value === undefined) {
      return [];
    }
    if (!Array.isArray(value) || value.length > 10) {
      throw invalidInput(
        'ForecastDimensions must be a list of at most 10 attribute names.',
      );
    }
    const strings = (target.Schema.Attributes as SchemaAttribute[])
      .filter(
        a => a.AttributeType === 'string' && a.AttributeName !== identifier,
      )
      .map(a => a.AttributeName);
    for (const dimension of value) {
      if (!strings.includes(dimension)) {
        throw invalidInput(
          `Forecast dimension ${JSON.stringify(
            dimension,
          )} is not a string attribute of the target time series schema besides ${identifier}; use one of: ${
            strings.join(', ') || '(none)'
          }.`,
        );
      }
    }
    return value as string[];
  }

  private checkAttributeConfigs(
    value: unknown,
    targetField: string,
    datasets: (Row | undefined)[],
  ): TargetTransformations {
    const result: TargetTransformations = {
      aggregation: 'sum',
      middlefill: 'zero',
      backfill: 'zero',
    };
    if (value === undefined) {
      return result;
    }
    if (!Array.isArray(value) || value.length > 50) {
      throw invalidInput(
        'AttributeConfigs must be a list of at most 50 entries.',
      );
    }
    const known = new Set(
      datasets.flatMap(d =>
        d
          ? d.Schema.Attributes.map((a: SchemaAttribute) => a.AttributeName)
          : [],
      ),
    );
    for (const config of value as Row[]) {
      const name = config?.AttributeName;
      if (!known.has(name)) {
        throw invalidInput(
          `AttributeConfigs names ${JSON.stringify(
            name,
          )}, which is not an attribute of the dataset group's datasets.`,
        );
      }
      const transformations = (config.Transformations ?? {}) as Record<
        string,
        string
      >;
      for (const [key, method] of Object.entries(transformations)) {
        if (key.endsWith('_value')) {
          if (!Number.isFinite(Number(method))) {
            throw invalidInput(
              `Transformation ${key} of ${name} must be a number, not ${JSON.stringify(
                method,
              )}.`,
            );
          }
          continue;
        }
        const allowed =
          key === 'aggregation'
            ? AGGREGATION_METHODS
            : key === 'frontfill'
            ? ['none']
            : ['middlefill', 'backfill', 'futurefill'].includes(key)
            ? TARGET_FILL_METHODS
            : undefined;
        if (!allowed) {
          throw invalidInput(
            `Unknown transformation ${key} of ${name}: use aggregation, frontfill, middlefill, backfill or futurefill.`,
          );
        }
        if (!allowed.includes(method)) {
          throw invalidInput(
            `Invalid ${key} method ${JSON.stringify(
              method,
            )} for ${name}: use one of ${allowed.join(', ')}.`,
          );
        }
      }
      if (name === targetField) {
        result.aggregation =
          (transformations.aggregation as TargetTransformations['aggregation']) ??
          'sum';
        result.middlefill = transformations.middlefill ?? 'zero';
        result.backfill = transformations.backfill ?? 'zero';
        result.middlefillValue = numberOrUndefined(
          transformations.middlefill_value,
        );
        result.backfillValue = numberOrUndefined(
          transformations.backfill_value,
        );
      }
    }
    // NOTE: related time series and item metadata are validated and stored
    // but the sandbox models do not use them yet.
    return result;
  }

  private checkHorizon(
    value: unknown,
    lengths: number[],
    retrain: boolean,
  ): number {
    const horizon = Number(value);
    if (value === undefined || !Number.isInteger(horizon) || horizon < 1) {
      throw invalidInput(
        `ForecastHorizon ${JSON.stringify(
          value,
        )} is invalid: give a whole number of ForecastFrequency periods, at least 1.`,
      );
    }
    const length = Math.max(...lengths);
    const divisor = retrain ? 3 : 4;
    const limit = Math.min(500, Math.floor(length / divisor));
    if (horizon > limit) {
      throw invalidInput(
        `ForecastHorizon ${horizon} exceeds the limit of ${limit} for this data: the horizon can be at most min(500, ${length} / ${divisor}) where ${length} is the length of the longest target time series at the forecast frequency. Shorten the horizon or import more history.`,
      );
    }
    return horizon;
  }

  opDescribeAutoPredictor(input: Row) {
    const row = this.get('predictors', 'predictor', input.PredictorArn);
    return stripUndefined({
      PredictorArn: row.PredictorArn,
      PredictorName: row.PredictorName,
      ForecastHorizon: row.ForecastHorizon,
      ForecastTypes: row.ForecastTypes,
      ForecastFrequency: row.ForecastFrequency,
      ForecastDimensions: row.ForecastDimensions,
      DatasetImportJobArns: row.DatasetImportJobArns,
      DataConfig: row.DataConfig,
      EncryptionConfig: row.EncryptionConfig,
      ReferencePredictorSummary: row.ReferencePredictorSummary,
      EstimatedTimeRemainingInMinutes: RUNNING.includes(row.Status)
        ? 1
        : undefined,
      Status: row.Status,
      Message: row.Message,
      CreationTime: row.CreationTime,
      LastModificationTime: row.LastModificationTime,
      OptimizationMetric: row.OptimizationMetric,
      ExplainabilityInfo: row.ExplainabilityInfo,
      MonitorInfo: row.MonitorInfo,
      TimeAlignmentBoundary: row.TimeAlignmentBoundary,
    });
  }

  opListPredictors(input: Row) {
    const page = listPage(
      this.tables.predictors.values(),
      input,
      {
        DatasetGroupArn: row => row._datasetGroupArn,
        Status: row => row.Status,
      },
      row => row.CreationTime,
    );
    return {
      Predictors: page.items.map(row =>
        stripUndefined({
          PredictorArn: row.PredictorArn,
          PredictorName: row.PredictorName,
          DatasetGroupArn: row._datasetGroupArn,
          IsAutoPredictor: true,
          ReferencePredictorSummary: row.ReferencePredictorSummary,
          Status: row.Status,
          Message: row.Message,
          CreationTime: row.CreationTime,
          LastModificationTime: row.LastModificationTime,
        }),
      ),
      NextToken: page.nextToken,
    };
  }

  opGetAccuracyMetrics(input: Row) {
    const row = this.get('predictors', 'predictor', input.PredictorArn);
    if (row.Status !== 'ACTIVE') {
      throw inUse(
        `Predictor ${row.PredictorArn} is ${row.Status}; accuracy metrics exist once it is ACTIVE.`,
      );
    }
    const accuracy = row._accuracy as BacktestAccuracy;
    const metrics = accuracy.metrics;
    return {
      PredictorEvaluationResults: [
        {
          TestWindows: [
            { EvaluationType: 'SUMMARY', Metrics: metrics },
            {
              TestWindowStart: accuracy.windowStart / 1000,
              TestWindowEnd: accuracy.windowEnd / 1000,
              ItemCount: accuracy.itemCount,
              EvaluationType: 'COMPUTED',
              Metrics: metrics,
            },
          ],
        },
      ],
      IsAutoPredictor: true,
      OptimizationMetric: row.OptimizationMetric,
    };
  }

  opDeletePredictor(input: Row) {
    const row = this.get('predictors', 'predictor', input.PredictorArn);
    this.checkDeletable(row, row.PredictorArn);
    const children = this.childrenOf(row.PredictorArn);
    if (children.length > 0) {
      throw inUse(
        `Predictor ${row.PredictorArn} still has forecasts or exports (for example ${children[0]}). Delete them first, or call DeleteResourceTree.`,
      );
    }
    this.deleteRow('predictors', row.PredictorArn);
    return {};
  }

  // ---- backtest exports --------------------------------------------------

  opCreatePredictorBacktestExportJob(input: Row, context: RequestContext) {
    const name = checkName(
      'PredictorBacktestExportJobName',
      input.PredictorBacktestExportJobName,
    );
    const predictor = this.get('predictors', 'predictor', input.PredictorArn);
    const destination = checkS3Config('Destination', input.Destination);
    const format = checkFormat(input.Format);
    const tags = this.tagsOf(input);
    const arn = this.arn(
      context,
      `predictor-backtest-export-job/${predictor.PredictorName}/${name}`,
    );
    this.checkUnused('backtestExports', arn, 'predictor backtest export job');
    if (predictor.Status !== 'ACTIVE') {
      throw inUse(
        `Predictor ${predictor.PredictorArn} is ${predictor.Status}; export its backtest once it is ACTIVE.`,
      );
    }
    this.checkQuota('backtestExports', context);
    this.create('backtestExports', {
      PredictorBacktestExportJobArn: arn,
      PredictorBacktestExportJobName: name,
      PredictorArn: predictor.PredictorArn,
      Destination: input.Destination,
      Format: format,
      Status: 'CREATE_PENDING',
      Tags: tags,
    });
    this.startJob('backtestExports', arn, async () => {
      const { bucket, key } = parseS3Path('Path', destination.Path);
      const model = readArraysFile<PredictorModelHeader>(
        this.modelFile('predictors', predictor.PredictorArn),
      );
      const files = backtestExportCsv({
        identifier: predictor._identifier,
        dimensions: predictor.ForecastDimensions,
        model: model.header,
        arrays: model.arrays,
      });
      const created = this.tables.backtestExports.get(arn)!.CreationTime;
      const fileName = partFileName(name, created);
      await this.putExport(
        bucket,
        joinKey(key, `forecasted-values/${fileName}`),
        files.forecastedValues,
      );
      await this.putExport(
        bucket,
        joinKey(key, `accuracy-metrics-values/${fileName}`),
        files.accuracyMetrics,
      );
    });
    return { PredictorBacktestExportJobArn: arn };
  }

  private async putExport(bucket: string, key: string, text: string) {
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

  opDescribePredictorBacktestExportJob(input: Row) {
    const row = this.get(
      'backtestExports',
      'predictor backtest export job',
      input.PredictorBacktestExportJobArn,
    );
    const { Tags: _tags, ...rest } = row;
    return stripUndefined(rest);
  }

  opListPredictorBacktestExportJobs(input: Row) {
    const page = listPage(
      this.tables.backtestExports.values(),
      input,
      { PredictorArn: row => row.PredictorArn, Status: row => row.Status },
      row => row.CreationTime,
    );
    return {
      PredictorBacktestExportJobs: page.items.map(row =>
        stripUndefined({
          PredictorBacktestExportJobArn: row.PredictorBacktestExportJobArn,
          PredictorBacktestExportJobName: row.PredictorBacktestExportJobName,
          Destination: row.Destination,
          Status: row.Status,
          Message: row.Message,
          CreationTime: row.CreationTime,
          LastModificationTime: row.LastModificationTime,
        }),
      ),
      NextToken: page.nextToken,
    };
  }

  opDeletePredictorBacktestExportJob(input: Row) {
    const row = this.get(
      'backtestExports',
      'predictor backtest export job',
      input.PredictorBacktestExportJobArn,
    );
    this.checkDeletable(row, row.PredictorBacktestExportJobArn);
    this.deleteRow('backtestExports', row.PredictorBacktestExportJobArn);
    return {};
  }

  // ---- forecasts -----------------------------------------------------------

  async opCreateForecast(input: Row, context: RequestContext) {
    const name = checkName('ForecastName', input.ForecastName);
    const predictor = this.get('predictors', 'predictor', input.PredictorArn);
    const tags = this.tagsOf(input);
    const types =
      input.ForecastTypes === undefined
        ? predictor.ForecastTypes
        : checkForecastTypes(input.ForecastTypes);
    const arn = this.arn(context, `forecast/${name}`);
    this.checkUnused('forecasts', arn, 'forecast');
    if (predictor.Status !== 'ACTIVE') {
      throw inUse(
        `Predictor ${predictor.PredictorArn} is ${predictor.Status}; create a forecast once it is ACTIVE.`,
      );
    }
    this.checkQuota('forecasts', context);
    const selected = await this.readSeriesSelector(input.TimeSeriesSelector);

    this.create('forecasts', {
      ForecastArn: arn,
      ForecastName: name,
      ForecastTypes: types,
      PredictorArn: predictor.PredictorArn,
      DatasetGroupArn: predictor._datasetGroupArn,
      TimeSeriesSelector: input.TimeSeriesSelector,
      Status: 'CREATE_PENDING',
      Tags: tags,
    });
    this.startJob('forecasts', arn, async () => {
      const model = readArraysFile<PredictorModelHeader>(
        this.modelFile('predictors', predictor.PredictorArn),
      );
      const arrays: Float64Array[] = [];
      const series = [];
      for (const [index, info] of model.header.series.entries()) {
        const key = [info.item, ...info.dimensions].join('\u0001');
        if (selected && !selected.has(key) && !selected.has(info.item)) {
          continue;
        }
        const base = index * ARRAYS_PER_SERIES;
        const values = typedForecasts(
          { mean: model.arrays[base + 3], errors: model.arrays[base + 4] },
          types,
          info.nonNegative,
        );
        series.push({ item: info.item, dimensions: info.dimensions });
        arrays.push(...types.map((type: string) => values[type]));
      }
      if (series.length === 0) {
        throw invalidInput(
          'TimeSeriesSelector matches no item of the predictor; list item ids the predictor was trained on.',
        );
      }
      writeArraysFile(
        this.modelFile('forecasts', arn),
        {
          types,
          start: model.header.forecastStart,
          frequency: model.header.frequency,
          series,
        },
        arrays,
      );
    });
    return { ForecastArn: arn };
  }

  /** Item keys listed by a TimeSeriesSelector's CSV, if one is given. */
  private async readSeriesSelector(
    selector: unknown,
  ): Promise<Set<string> | undefined> {
    const identifiers = (selector as Row | undefined)?.TimeSeriesIdentifiers;
    if (!identifiers) {
      return undefined;
    }
    const source = checkS3Config(
      'TimeSeriesSelector.TimeSeriesIdentifiers.DataSource',
      identifiers.DataSource,
    );
    const files = await this.listInputFiles(source.Path);
    const keys = new Set<string>();
    for (const { bucket, key } of files) {
      const text = (await this.options.objects.getObject(bucket, key)).body
        .toString('utf8')
        .replace(/^\uFEFF/, '');
      for (const line of text.split(/\r?\n/)) {
        if (line.trim() !== '') {
          keys.add(
            line
              .split(',')
              .map(f => f.trim())
              .join('\u0001'),
          );
        }
      }
    }
    return keys;
  }

  opDescribeForecast(input: Row) {
    const row = this.get('forecasts', 'forecast', input.ForecastArn);
    const { Tags: _tags, ...rest } = row;
    return stripUndefined({
      ...rest,
      EstimatedTimeRemainingInMinutes: RUNNING.includes(row.Status)
        ? 1
        : undefined,
    });
  }

  opListForecasts(input: Row) {
    const page = listPage(
      this.tables.forecasts.values(),
      input,
      {
        DatasetGroupArn: row => row.DatasetGroupArn,
        PredictorArn: row => row.PredictorArn,
        Status: row => row.Status,
      },
      row => row.CreationTime,
    );
    return {
      Forecasts: page.items.map(row =>
        stripUndefined({
          ForecastArn: row.ForecastArn,
          ForecastName: row.ForecastName,
          PredictorArn: row.PredictorArn,
          CreatedUsingAutoPredictor: true,
          DatasetGroupArn: row.DatasetGroupArn,
          Status: row.Status,
          Message: row.Message,
          CreationTime: row.CreationTime,
          LastModificationTime: row.LastModificationTime,
        }),
      ),
      NextToken: page.nextToken,
    };
  }

  opDeleteForecast(input: Row) {
    const row = this.get('forecasts', 'forecast', input.ForecastArn);
    this.checkDeletable(row, row.ForecastArn);
    const exporting = this.tables.forecastExports
      .values()
      .find(job => job.ForecastArn === row.ForecastArn);
    if (exporting) {
      throw inUse(
        `Forecast ${row.ForecastArn} has export job ${exporting.ForecastExportJobArn}. Delete the export jobs first, or call DeleteResourceTree.`,
      );
    }
    this.deleteRow('forecasts', row.ForecastArn);
    return {};
  }

  // ---- forecast exports ----------------------------------------------------

  opCreateForecastExportJob(input: Row, context: RequestContext) {
    const name = checkName(
      'ForecastExportJobName',
      input.ForecastExportJobName,
    );
    const forecast = this.get('forecasts', 'forecast', input.ForecastArn);
    const destination = checkS3Config('Destination', input.Destination);
    const format = checkFormat(input.Format);
    const tags = this.tagsOf(input);
    const arn = this.arn(
      context,
      `forecast-export-job/${forecast.ForecastName}/${name}`,
    );
    this.checkUnused('forecastExports', arn, 'forecast export job');
    if (forecast.Status !== 'ACTIVE') {
      throw inUse(
        `Forecast ${forecast.ForecastArn} is ${forecast.Status}; export it once it is ACTIVE.`,
      );
    }
    this.checkQuota('forecastExports', context);
    this.create('forecastExports', {
      ForecastExportJobArn: arn,
      ForecastExportJobName: name,
      ForecastArn: forecast.ForecastArn,
      Destination: input.Destination,
      Format: format,
      Status: 'CREATE_PENDING',
      Tags: tags,
    });
    this.startJob('forecastExports', arn, async () => {
      const predictor = this.tables.predictors.get(forecast.PredictorArn);
      const stored = readArraysFile<{
        types: string[];
        start: number;
        frequency: string;
        series: { item: string; dimensions: string[] }[];
      }>(this.modelFile('forecasts', forecast.ForecastArn));
      const { types } = stored.header;
      const series: ForecastValues[] = stored.header.series.map((s, i) => ({
        ...s,
        values: Object.fromEntries(
          types.map((type, k) => [type, stored.arrays[i * types.length + k]]),
        ),
      }));
      const csv = forecastExportCsv({
        identifier: predictor?._identifier ?? 'item_id',
        dimensions: predictor?.ForecastDimensions ?? [],
        types,
        start: stored.header.start,
        frequency: stored.header.frequency,
        series,
      });
      const { bucket, key } = parseS3Path('Path', destination.Path);
      const created = this.tables.forecastExports.get(arn)!.CreationTime;
      await this.putExport(
        bucket,
        joinKey(key, partFileName(name, created)),
        csv,
      );
    });
    return { ForecastExportJobArn: arn };
  }

  opDescribeForecastExportJob(input: Row) {
    const row = this.get(
      'forecastExports',
      'forecast export job',
      input.ForecastExportJobArn,
    );
    const { Tags: _tags, ...rest } = row;
    return stripUndefined(rest);
  }

  opListForecastExportJobs(input: Row) {
    const page = listPage(
      this.tables.forecastExports.values(),
      input,
      { ForecastArn: row => row.ForecastArn, Status: row => row.Status },
      row => row.CreationTime,
    );
    return {
      ForecastExportJobs: page.items.map(row =>
        stripUndefined({
          ForecastExportJobArn: row.ForecastExportJobArn,
          ForecastExportJobName: row.ForecastExportJobName,
          Destination: row.Destination,
          Status: row.Status,
          Message: row.Message,
          CreationTime: row.CreationTime,
          LastModificationTime: row.LastModificationTime,
        }),
      ),
      NextToken: page.nextToken,
    };
  }

  opDeleteForecastExportJob(input: Row) {
    const row = this.get(
      'forecastExports',
      'forecast export job',
      input.ForecastExportJobArn,
    );
    this.checkDeletable(row, row.ForecastExportJobArn);
    this.deleteRow('forecastExports', row.ForecastExportJobArn);
    return {};
  }

  // ---- explainability ------------------------------------------------------

  opCreateExplainability(input: Row, context: RequestContext) {
    const name = checkName('ExplainabilityName', input.ExplainabilityName);
    const resourceArn = checkArn('ResourceArn', input.ResourceArn);
    const kind = this.kindOf(resourceArn);
    if (kind !== 'predictors' && kind !== 'forecasts') {
      throw invalidInput(
        `ResourceArn ${resourceArn} must be a predictor or forecast ARN.`,
      );
    }
    const resource = this.get(kind, 'predictor or forecast', resourceArn);
    const config = input.ExplainabilityConfig as Row | undefined;
    checkEnum(
      'ExplainabilityConfig.TimeSeriesGranularity',
      config?.TimeSeriesGranularity,
      ['ALL', 'SPECIFIC'] as const,
    );
    checkEnum(
      'ExplainabilityConfig.TimePointGranularity',
      config?.TimePointGranularity,
      ['ALL', 'SPECIFIC'] as const,
    );
    const tags = this.tagsOf(input);
    const arn = this.arn(context, `explainability/${name}`);
    this.checkUnused('explainabilities', arn, 'explainability');
    if (resource.Status !== 'ACTIVE') {
      throw inUse(`${resourceArn} is ${resource.Status}; it must be ACTIVE.`);
    }
    this.create('explainabilities', {
      ExplainabilityArn: arn,
      ExplainabilityName: name,
      ResourceArn: resourceArn,
      ExplainabilityConfig: config,
      EnableVisualization: input.EnableVisualization ?? false,
      DataSource: input.DataSource,
      Schema: input.Schema,
      StartDateTime: input.StartDateTime,
      EndDateTime: input.EndDateTime,
      Status: 'CREATE_PENDING',
      Tags: tags,
    });
    // NOTE: the sandbox records explainability resources and their status
    // but computes no impact scores and exports none.
    this.startJob('explainabilities', arn, async () => undefined);
    return { ExplainabilityArn: arn };
  }

  opDescribeExplainability(input: Row) {
    const row = this.get(
      'explainabilities',
      'explainability',
      input.ExplainabilityArn,
    );
    const { Tags: _tags, ...rest } = row;
    return stripUndefined(rest);
  }

  opListExplainabilities(input: Row) {
    const page = listPage(
      this.tables.explainabilities.values(),
      input,
      { ResourceArn: row => row.ResourceArn, Status: row => row.Status },
      row => row.CreationTime,
    );
    return {
      Explainabilities: page.items.map(row =>
        stripUndefined({
          ExplainabilityArn: row.ExplainabilityArn,
          ExplainabilityName: row.ExplainabilityName,
          ResourceArn: row.ResourceArn,
          ExplainabilityConfig: row.ExplainabilityConfig,
          Status: row.Status,
          Message: row.Message,
          CreationTime: row.CreationTime,
          LastModificationTime: row.LastModificationTime,
        }),
      ),
      NextToken: page.nextToken,
    };
  }

  opDeleteExplainability(input: Row) {
    const row = this.get(
      'explainabilities',
      'explainability',
      input.ExplainabilityArn,
    );
    this.checkDeletable(row, row.ExplainabilityArn);
    this.deleteRow('explainabilities', row.ExplainabilityArn);
    return {};
  }

  // ---- tags and trees ------------------------------------------------------

  private kindOf(arn: string): Kind | undefined {
    const resource = arn.split(':')[5] ?? '';
    return ARN_KINDS[resource.split('/')[0]];
  }

  private resourceOf(arnValue: unknown): { kind: Kind; row: Row } {
    const arn = checkArn('ResourceArn', arnValue);
    const kind = this.kindOf(arn);
    const row = kind ? this.tables[kind].get(arn) : undefined;
    if (!kind || !row) {
      throw notFound('resource', arn);
    }
    return { kind, row };
  }

  opTagResource(input: Row) {
    const { kind, row } = this.resourceOf(input.ResourceArn);
    const added = checkTags(input.Tags);
    const merged = new Map<string, string>(
      (row.Tags as Tag[]).map(tag => [tag.Key, tag.Value]),
    );
    for (const tag of added) {
      merged.set(tag.Key, tag.Value);
    }
    if (merged.size > 50) {
      throw new AwsServiceError(
        'LimitExceededException',
        `A resource can have at most 50 tags; this request would give it ${merged.size}.`,
      );
    }
    this.tables[kind].update(input.ResourceArn, r => ({
      ...r,
      Tags: [...merged].map(([Key, Value]) => ({ Key, Value })),
    }));
    return {};
  }

  opUntagResource(input: Row) {
    const { kind } = this.resourceOf(input.ResourceArn);
    if (!Array.isArray(input.TagKeys)) {
      throw invalidInput('TagKeys must be a list of tag keys.');
    }
    this.tables[kind].update(input.ResourceArn, r => ({
      ...r,
      Tags: (r.Tags as Tag[]).filter(tag => !input.TagKeys.includes(tag.Key)),
    }));
    return {};
  }

  opListTagsForResource(input: Row) {
    const { row } = this.resourceOf(input.ResourceArn);
    return { Tags: row.Tags ?? [] };
  }

  /**
   * The resources under a dataset group, predictor or forecast, children
   * first: forecast exports and explainabilities, forecasts, backtest
   * exports, predictors. Datasets are not part of a dataset group's tree.
   */
  private childrenOf(arn: string): string[] {
    const kind = this.kindOf(arn);
    const predictors =
      kind === 'datasetGroups'
        ? this.tables.predictors
            .values()
            .filter(p => p._datasetGroupArn === arn)
            .map(p => p.PredictorArn)
        : kind === 'predictors'
        ? [arn]
        : [];
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

  private deleteRow(kind: Kind, arn: string): void {
    this.tables[kind].delete(arn);
    if (kind === 'predictors' || kind === 'forecasts') {
      fs.rmSync(this.modelFile(kind, arn), { force: true });
    }
    this.logger.info(`Deleted ${arn}`);
  }

  opDeleteResourceTree(input: Row) {
    const { kind, row } = this.resourceOf(input.ResourceArn);
    const arn = input.ResourceArn as string;
    const tree =
      kind === 'datasets'
        ? this.importJobsOf(arn).map(job => job.DatasetImportJobArn)
        : this.childrenOf(arn);
    const rows = [...tree, arn].map(member => {
      const memberKind = this.kindOf(member)!;
      return {
        kind: memberKind,
        arn: member,
        row: this.tables[memberKind].get(member)!,
      };
    });
    const busy = rows.find(member => RUNNING.includes(member.row.Status));
    if (busy) {
      throw inUse(
        `${busy.arn} is ${busy.row.Status}; a resource tree can be deleted once every member is ACTIVE or CREATE_FAILED.`,
      );
    }
    for (const member of rows) {
      if (member.kind === 'datasets') {
        this.deleteDatasetRow(member.arn);
      } else {
        this.deleteRow(member.kind, member.arn);
      }
    }
    this.logger.info(
      `Deleted resource tree of ${arn} (${rows.length} resources, ${row.Status})`,
    );
    return {};
  }
}

function numberOrUndefined(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}
