import type { RequestContext } from '../../core/types';
import { forecastTypes as typedForecasts } from '../../engine/autoModel';
import { readArraysFile, writeArraysFile } from '../contentFiles';
import { listPage } from '../listing';
import { ARRAYS_PER_SERIES, type PredictorModelHeader } from '../training';
import {
  checkForecastTypes,
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

/** Forecasts: every series' forecast types (or those a TimeSeriesSelector lists) from a trained predictor. */
export class ForecastOperations {
  constructor(private readonly state: ForecastState) {}

  async opCreateForecast(input: Row, context: RequestContext) {
    const name = checkName('ForecastName', input.ForecastName);
    const predictor = this.state.get(
      'predictors',
      'predictor',
      input.PredictorArn,
    );
    const tags = this.state.tagsOf(input);
    const types =
      input.ForecastTypes === undefined
        ? predictor.ForecastTypes
        : checkForecastTypes(input.ForecastTypes);

    const arn = this.state.arn(context, `forecast/${name}`);
    this.state.checkUnused('forecasts', arn, 'forecast');
    if (predictor.Status !== 'ACTIVE') {
      throw inUse(
        `Predictor ${predictor.PredictorArn} is ${predictor.Status}; create a forecast once it is ACTIVE.`,
      );
    }
    this.state.checkQuota('forecasts', context);
    const selected = await this.readSeriesSelector(input.TimeSeriesSelector);

    this.state.create('forecasts', {
      ForecastArn: arn,
      ForecastName: name,
      ForecastTypes: types,
      PredictorArn: predictor.PredictorArn,
      DatasetGroupArn: predictor._datasetGroupArn,
      TimeSeriesSelector: input.TimeSeriesSelector,
      Status: 'CREATE_PENDING',
      Tags: tags,
    });

    this.state.startJob('forecasts', arn, async () => {
      // NOTE: the forecast is the one computed at training time, after the
      // data the predictor saw; data imported since then is not used.
      const model = readArraysFile<PredictorModelHeader>(
        this.state.modelFile('predictors', predictor.PredictorArn),
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
        this.state.modelFile('forecasts', arn),
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
    const files = await this.state.listInputFiles(source.Path);
    const keys = new Set<string>();
    for (const { bucket, key } of files) {
      const text = (
        await this.state.options.objects.getObject(bucket, key)
      ).body
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
    const row = this.state.get('forecasts', 'forecast', input.ForecastArn);
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
      this.state.tables.forecasts.values(),
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
    const row = this.state.get('forecasts', 'forecast', input.ForecastArn);
    this.state.checkDeletable(row, row.ForecastArn);
    const exporting = this.state.tables.forecastExports
      .values()
      .find(job => job.ForecastArn === row.ForecastArn);
    if (exporting) {
      throw inUse(
        `Forecast ${row.ForecastArn} has export job ${exporting.ForecastExportJobArn}. Delete the export jobs first, or call DeleteResourceTree.`,
      );
    }
    this.state.deleteRow('forecasts', row.ForecastArn);
    return {};
  }
}
