import { ulid } from 'ulid';
import { AwsServiceError } from '../../core/errors';
import type { RequestContext } from '../../core/types';
import type { OptimizationMetric } from '../../engine/autoModel';
import { parseFrequency } from '../../engine/frequency';
import { writeArraysFile } from '../contentFiles';
import { DOMAIN_FIELDS, OPTIMIZATION_METRICS, type Domain } from '../domains';
import { listPage } from '../listing';
import { alignRelated, prepareSeries } from '../prepareSeries';
import { trainPredictor, type BacktestAccuracy } from '../training';
import {
  checkEnum,
  checkForecastTypes,
  checkName,
  invalidInput,
} from '../validation';
import {
  ForecastState,
  type Row,
  RUNNING,
  inUse,
  stripUndefined,
} from '../ForecastState';
import {
  checkFrequencies,
  checkDimensions,
  checkAttributeConfigs,
  checkHorizon,
} from '../predictorSettings';

/** CreateAutoPredictor (new or retrain), its Describe, List and Delete, and GetAccuracyMetrics. */
export class PredictorOperations {
  constructor(private readonly state: ForecastState) {}

  async opCreateAutoPredictor(input: Row, context: RequestContext) {
    const name = checkName('PredictorName', input.PredictorName);
    const tags = this.state.tagsOf(input);
    const taken = this.state.tables.predictors
      .values()
      .some(
        row =>
          row.PredictorName === name &&
          row.PredictorArn.startsWith(this.state.arn(context, 'predictor/')),
      );
    if (taken) {
      throw new AwsServiceError(
        'ResourceAlreadyExistsException',
        `A predictor named ${name} already exists. Choose another name, or delete the existing predictor first.`,
      );
    }

    const reference =
      input.ReferencePredictorArn !== undefined
        ? this.state.get('predictors', 'predictor', input.ReferencePredictorArn)
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
    const group = this.state.get(
      'datasetGroups',
      'dataset group',
      dataConfig.DatasetGroupArn,
    );
    const datasets = (group.DatasetArns as string[]).map(arn =>
      this.state.tables.datasets.get(arn),
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
        this.state
          .importJobsOf(dataset.DatasetArn)
          .some(job => RUNNING.includes(job.Status))
      ) {
        throw inUse(
          `Dataset ${dataset.DatasetArn} has an import job in progress. Wait until it is ACTIVE, then retry.`,
        );
      }
    }
    const content = this.state.loadContent(target.DatasetArn);
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
    checkFrequencies(frequency, target, datasets);

    const types = checkForecastTypes(settings.ForecastTypes);
    const metric = checkEnum(
      'OptimizationMetric',
      settings.OptimizationMetric ?? 'AverageWeightedQuantileLoss',
      OPTIMIZATION_METRICS,
    );
    const { identifier, target: targetField } =
      DOMAIN_FIELDS[target.Domain as Domain];
    const dimensions = checkDimensions(
      settings.ForecastDimensions,
      target,
      identifier,
    );
    const transformations = checkAttributeConfigs(
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
    const horizon = checkHorizon(
      settings.ForecastHorizon,
      prepared.series.map(s => s.values.length),
      reference !== undefined,
    );
    const unit = frequency.unit;
    if (prepared.series.length > 100_000 && (unit === 'H' || unit === 'min')) {
      throw invalidInput(
        `The data has ${prepared.series.length} time series; above 100,000 the ForecastFrequency must be Y, M, W or D, not ${frequency.text}.`,
      );
    }
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
    this.state.checkQuota('predictors', context);
    this.state.checkConcurrency('predictors', 'predictor training');
    const relatedDataset = datasets.find(
      dataset => dataset?.DatasetType === 'RELATED_TIME_SERIES',
    );
    const relatedContent = relatedDataset
      ? this.state.loadContent(relatedDataset.DatasetArn)
      : undefined;
    const related = relatedContent
      ? alignRelated(relatedContent, prepared.series, {
          identifier,
          dimensions,
          frequency,
          horizon,
        })
      : undefined;

    const arn = this.state.arn(context, `predictor/${name}_${ulid()}`);
    const importJobs = datasets.flatMap(dataset =>
      dataset
        ? this.state
            .importJobsOf(dataset.DatasetArn)
            .filter(job => job.Status === 'ACTIVE')
            .map(job => job.DatasetImportJobArn)
        : [],
    );

    this.state.create('predictors', {
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
      _target: targetField,
      _transformations: transformations,
    });
    this.state.logger.info(
      `Predictor ${arn} training started: ${prepared.series.length} series, horizon ${horizon}`,
    );

    this.state.startJob('predictors', arn, async () => {
      const started = Date.now();
      const trained = await trainPredictor({
        series: prepared.series,
        related,
        end: prepared.end,
        frequency,
        horizon,
        forecastTypes: types,
        metric: metric as OptimizationMetric,
        pool: this.state.pool,
      });
      writeArraysFile(
        this.state.modelFile('predictors', arn),
        trained.header,
        trained.arrays,
      );
      this.state.logger.info(
        `Predictor ${arn} trained in ${Date.now() - started} ms`,
      );
      return { _accuracy: trained.accuracy };
    });

    return { PredictorArn: arn };
  }

  opDescribeAutoPredictor(input: Row) {
    const row = this.state.get('predictors', 'predictor', input.PredictorArn);
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
      this.state.tables.predictors.values(),
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
    const row = this.state.get('predictors', 'predictor', input.PredictorArn);
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
    const row = this.state.get('predictors', 'predictor', input.PredictorArn);
    this.state.checkDeletable(row, row.PredictorArn);
    const children = this.state.childrenOf(row.PredictorArn);
    if (children.length > 0) {
      throw inUse(
        `Predictor ${row.PredictorArn} still has forecasts or exports (for example ${children[0]}). Delete them first, or call DeleteResourceTree.`,
      );
    }
    this.state.deleteRow('predictors', row.PredictorArn);
    return {};
  }
}
