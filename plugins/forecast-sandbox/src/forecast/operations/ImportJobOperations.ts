import type { RequestContext } from '../../core/types';
import { mergeIncremental, writeContent } from '../contentFiles';
import type { ImportFile, ParsedImport } from '../importParser';
import { listPage } from '../listing';
import {
  compileTimestampFormat,
  DEFAULT_TIMESTAMP_FORMAT,
} from '../timestamps';
import {
  checkEnum,
  checkFormat,
  checkName,
  checkS3Config,
  invalidInput,
} from '../validation';
import {
  ForecastState,
  type Row,
  RUNNING,
  inUse,
  stripUndefined,
} from '../ForecastState';

/** Dataset import jobs: CSV files from S3 read in a worker thread, FULL or INCREMENTAL. */
export class ImportJobOperations {
  constructor(private readonly state: ForecastState) {}

  async opCreateDatasetImportJob(input: Row, context: RequestContext) {
    const name = checkName('DatasetImportJobName', input.DatasetImportJobName);
    const dataset = this.state.get('datasets', 'dataset', input.DatasetArn);
    const source = checkS3Config('DataSource', input.DataSource);
    const format = checkFormat(input.Format);
    const mode = checkEnum('ImportMode', input.ImportMode ?? 'FULL', [
      'FULL',
      'INCREMENTAL',
    ] as const);
    const timestampFormat = String(
      input.TimestampFormat ?? DEFAULT_TIMESTAMP_FORMAT,
    );
    try {
      compileTimestampFormat(timestampFormat);
    } catch (error) {
      throw invalidInput(
        `Invalid TimestampFormat "${timestampFormat}": ${
          (error as Error).message
        }.`,
      );
    }
    const tags = this.state.tagsOf(input);

    const arn = this.state.arn(
      context,
      `dataset-import-job/${dataset.DatasetName}/${name}`,
    );
    this.state.checkUnused('importJobs', arn, 'dataset import job');
    if (
      this.state
        .importJobsOf(dataset.DatasetArn)
        .some(j => RUNNING.includes(j.Status))
    ) {
      throw inUse(
        `Dataset ${dataset.DatasetArn} has an import job in progress. Wait until it is ACTIVE or CREATE_FAILED, then retry.`,
      );
    }
    if (mode === 'INCREMENTAL' && !this.state.loadContent(dataset.DatasetArn)) {
      throw invalidInput(
        `ImportMode INCREMENTAL needs data already imported into ${dataset.DatasetArn}; run a FULL import first.`,
      );
    }
    this.state.checkQuota('importJobs', context);
    this.state.checkConcurrency('importJobs', 'dataset import');
    const files = await this.state.listInputFiles(source.Path);

    this.state.create('importJobs', {
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
    this.state.setStatus('datasets', dataset.DatasetArn, {
      Status: 'UPDATE_IN_PROGRESS',
    });
    this.state.logger.info(
      `Import ${arn} started: ${files.length} files from ${source.Path}`,
    );

    this.state.startJob(
      'importJobs',
      arn,
      () => this.runImport(dataset, files, timestampFormat, mode),
      () =>
        this.state.setStatus('datasets', dataset.DatasetArn, {
          Status: 'ACTIVE',
        }),
    );

    return { DatasetImportJobArn: arn };
  }

  private async runImport(
    dataset: Row,
    locations: { bucket: string; key: string }[],
    timestampFormat: string,
    mode: 'FULL' | 'INCREMENTAL',
  ): Promise<Row> {
    const readFiles = async () => {
      const files: ImportFile[] = [];
      for (const { bucket, key } of locations) {
        const object = await this.state.options.objects.getObject(bucket, key);
        files.push({ path: `s3://${bucket}/${key}`, body: object.body });
      }
      return files;
    };
    // The file bodies are copied to the worker and not kept here, so a large
    // import keeps one copy of its text in memory, not two.
    const parsed = await this.state.pool.run<ParsedImport>({
      type: 'parse',
      spec: {
        datasetType: dataset.DatasetType,
        attributes: dataset.Schema.Attributes,
        timestampFormat,
        files: await readFiles(),
      },
    });
    if (parsed.rowCount === 0) {
      const { bucket, key } = locations[0];
      throw invalidInput(
        `The files at s3://${bucket}/${key} contain no data rows; upload CSV rows in the schema's column order.`,
      );
    }
    const existing =
      mode === 'INCREMENTAL'
        ? this.state.loadContent(dataset.DatasetArn)
        : undefined;
    const content = existing
      ? mergeIncremental(existing, parsed.content)
      : parsed.content;
    writeContent(this.state.contentFile(dataset.DatasetArn), content);
    this.state.contentCache.clear();
    return {
      FieldStatistics: parsed.statistics,
      DataSize: parsed.byteCount / 1e9,
    };
  }

  opDescribeDatasetImportJob(input: Row) {
    const row = this.state.get(
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
      this.state.tables.importJobs.values(),
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
    const row = this.state.get(
      'importJobs',
      'dataset import job',
      input.DatasetImportJobArn,
    );
    this.state.checkDeletable(row, row.DatasetImportJobArn);
    this.state.tables.importJobs.delete(row.DatasetImportJobArn);
    return {};
  }
}
