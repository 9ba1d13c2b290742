import type { RequestContext } from '../../core/types';
import { readArraysFile } from '../contentFiles';
import {
  forecastExportCsv,
  joinKey,
  partFileName,
  type ForecastValues,
} from '../exportFiles';
import { listPage } from '../listing';
import {
  checkFormat,
  checkName,
  checkS3Config,
  parseS3Path,
} from '../validation';
import {
  ForecastState,
  type Row,
  inUse,
  stripUndefined,
} from '../ForecastState';

/** Forecast export jobs: one part file per job in Forecast's layout. */
export class ForecastExportOperations {
  constructor(private readonly state: ForecastState) {}

  opCreateForecastExportJob(input: Row, context: RequestContext) {
    const name = checkName(
      'ForecastExportJobName',
      input.ForecastExportJobName,
    );
    const forecast = this.state.get('forecasts', 'forecast', input.ForecastArn);
    const destination = checkS3Config('Destination', input.Destination);
    const format = checkFormat(input.Format);
    const tags = this.state.tagsOf(input);

    const arn = this.state.arn(
      context,
      `forecast-export-job/${forecast.ForecastName}/${name}`,
    );
    this.state.checkUnused('forecastExports', arn, 'forecast export job');
    if (forecast.Status !== 'ACTIVE') {
      throw inUse(
        `Forecast ${forecast.ForecastArn} is ${forecast.Status}; export it once it is ACTIVE.`,
      );
    }
    this.state.checkQuota('forecastExports', context);

    this.state.create('forecastExports', {
      ForecastExportJobArn: arn,
      ForecastExportJobName: name,
      ForecastArn: forecast.ForecastArn,
      Destination: input.Destination,
      Format: format,
      Status: 'CREATE_PENDING',
      Tags: tags,
    });

    this.state.startJob('forecastExports', arn, async () => {
      const predictor = this.state.tables.predictors.get(forecast.PredictorArn);
      const stored = readArraysFile<{
        types: string[];
        start: number;
        frequency: string;
        series: { item: string; dimensions: string[] }[];
      }>(this.state.modelFile('forecasts', forecast.ForecastArn));
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
      const created = this.state.tables.forecastExports.get(arn)!.CreationTime;
      await this.state.putExport(
        bucket,
        joinKey(key, partFileName(name, created)),
        csv,
      );
    });

    return { ForecastExportJobArn: arn };
  }

  opDescribeForecastExportJob(input: Row) {
    const row = this.state.get(
      'forecastExports',
      'forecast export job',
      input.ForecastExportJobArn,
    );
    const { Tags: _tags, ...rest } = row;
    return stripUndefined(rest);
  }

  opListForecastExportJobs(input: Row) {
    const page = listPage(
      this.state.tables.forecastExports.values(),
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
    const row = this.state.get(
      'forecastExports',
      'forecast export job',
      input.ForecastExportJobArn,
    );
    this.state.checkDeletable(row, row.ForecastExportJobArn);
    this.state.deleteRow('forecastExports', row.ForecastExportJobArn);
    return {};
  }
}
