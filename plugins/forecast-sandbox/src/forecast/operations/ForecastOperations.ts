import type { RequestContext } from '../../core/types';
import { forecastTypes as typedForecasts } from '../../engine/autoModel';
import { parseFrequency } from '../../engine/frequency';
import { readArraysFile, writeArraysFile } from '../contentFiles';
import { listPage } from '../listing';
import { alignRelated, prepareSeries } from '../prepareSeries';
import {
  ARRAYS_PER_SERIES,
  forecastLatest,
  type LatestForecast,
  type PredictorModelHeader,
} from '../training';
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

/**
 * Forecasts: the forecast types of every series (or of those a
 * TimeSeriesSelector lists), from a trained predictor and the latest data.
 */
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
      const model = readArraysFile<PredictorModelHeader>(
        this.state.modelFile('predictors', predictor.PredictorArn),
      );
      const latest = await this.forecastLatestData(predictor, model);
      const arrays: Float64Array[] = [];
      const series = [];
      for (const entry of latest.series) {
        const key = [entry.item, ...entry.dimensions].join('\u0001');
        if (selected && !selected.has(key) && !selected.has(entry.item)) {
          continue;
        }
        const values = typedForecasts(entry.forecast, types, entry.nonNegative);
        series.push({ item: entry.item, dimensions: entry.dimensions });
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
          start: latest.start,
          frequency: model.header.frequency,
          series,
        },
        arrays,
      );
    });

    return { ForecastArn: arn };
  }

  /**
   * Forecasts from the data now in the predictor's dataset group, as Amazon
   * Forecast does after new data is imported, or returns the forecast made
   * at training time when that data is gone.
   */
  private async forecastLatestData(
    predictor: Row,
    model: { header: PredictorModelHeader; arrays: Float64Array[] },
  ): Promise<{ start: number; series: LatestForecast[] }> {
    const stored = {
      start: model.header.forecastStart,
      series: model.header.series.map((info, index) => {
        const base = index * ARRAYS_PER_SERIES;
        return {
          item: info.item,
          dimensions: info.dimensions,
          forecast: {
            mean: model.arrays[base + 3],
            errors: model.arrays[base + 4],
          },
          nonNegative: info.nonNegative,
        };
      }),
    };
    const group = this.state.tables.datasetGroups.get(
      predictor._datasetGroupArn,
    );
    const frequency = parseFrequency(predictor.ForecastFrequency);
    if (!group || !frequency || !predictor._target) {
      return stored;
    }
    const datasets = (group.DatasetArns as string[]).map(datasetArn =>
      this.state.tables.datasets.get(datasetArn),
    );
    const target = datasets.find(d => d?.DatasetType === 'TARGET_TIME_SERIES');
    const content = target && this.state.loadContent(target.DatasetArn);
    if (!content || content.series.length === 0) {
      return stored;
    }

    const prepared = prepareSeries(content, {
      identifier: predictor._identifier,
      target: predictor._target,
      dimensions: predictor.ForecastDimensions,
      frequency,
      transformations: predictor._transformations,
    });
    const related = datasets.find(
      d => d?.DatasetType === 'RELATED_TIME_SERIES',
    );
    const relatedContent =
      related && this.state.loadContent(related.DatasetArn);
    return forecastLatest({
      series: prepared.series,
      related: relatedContent
        ? alignRelated(relatedContent, prepared.series, {
            identifier: predictor._identifier,
            dimensions: predictor.ForecastDimensions,
            frequency,
            horizon: model.header.horizon,
          })
        : undefined,
      end: prepared.end,
      frequency,
      metric: predictor.OptimizationMetric,
      model,
      pool: this.state.pool,
    });
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
