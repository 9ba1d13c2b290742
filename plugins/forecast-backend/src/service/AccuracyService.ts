import {
  DescribeAutoPredictorCommand,
  GetAccuracyMetricsCommand,
  ListForecastsCommand,
  Metrics,
} from '@aws-sdk/client-forecast';
import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
} from '@aws-sdk/client-sfn';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import type {
  AccuracyMetrics,
  AccuracyResponse,
  AccuracyWindow,
} from '@forecast-pipelines/plugin-forecast-common';
import { AwsClients } from './AwsClients';
import { callAws } from './awsErrors';
import { ResponseCache } from './ResponseCache';
import type { WorkloadScope } from './WorkloadResolver';

/** Pages of ListForecasts read per workload, 100 forecasts each. */
const MAX_FORECAST_PAGES = 3;

const PREDICTOR_ARN =
  /arn:[a-z-]+:forecast:[^:"]*:[^:"]*:predictor\/[A-Za-z0-9_]+/;

function toMetrics(metrics: Metrics | undefined): AccuracyMetrics {
  return {
    rmse: metrics?.RMSE,
    averageWeightedQuantileLoss: metrics?.AverageWeightedQuantileLoss,
    weightedQuantileLosses: (metrics?.WeightedQuantileLosses ?? []).map(
      loss => ({
        quantile: loss.Quantile ?? 0,
        lossValue: loss.LossValue ?? 0,
      }),
    ),
    errorMetrics: (metrics?.ErrorMetrics ?? []).map(error => ({
      forecastType: error.ForecastType ?? '',
      wape: error.WAPE,
      rmse: error.RMSE,
      mase: error.MASE,
      mape: error.MAPE,
    })),
  };
}

/**
 * Reads the accuracy metrics of the workload's selected predictor: the
 * predictor of the newest active forecast of the dataset group or, when no
 * forecast exists yet, the one in the select-predictor pipeline's last output.
 */
export class AccuracyService {
  constructor(
    private readonly clients: AwsClients,
    private readonly cache: ResponseCache,
    private readonly logger: LoggerService,
  ) {}

  async accuracy(scope: WorkloadScope): Promise<AccuracyResponse> {
    const { value, stale } = await this.cache.getOrLoad(
      scope.cacheGroup,
      'accuracy',
      () => this.load(scope),
    );
    return stale || scope.stale ? { ...value, stale: true } : value;
  }

  /** Builds the dataset group ARN from the stack output, as Forecast names it. */
  datasetGroupArn(scope: WorkloadScope): string | undefined {
    const name =
      scope.stack.outputs.DatasetGroupName ??
      scope.stack.parameters.DatasetGroupName;
    return name
      ? `arn:${scope.partition}:forecast:${scope.region}:${scope.accountId}:dataset-group/${name}`
      : undefined;
  }

  private async load(scope: WorkloadScope): Promise<AccuracyResponse> {
    const datasetGroupArn = this.datasetGroupArn(scope);
    if (!datasetGroupArn) {
      return { windows: [] };
    }
    const predictorArn =
      (await this.predictorOfNewestForecast(scope, datasetGroupArn)) ??
      (await this.predictorOfSelection(scope));
    if (!predictorArn) {
      return { windows: [] };
    }

    const forecast = await this.clients.get('forecast', scope.stackArn);
    const predictor = await callAws(
      `DescribeAutoPredictor on ${predictorArn}`,
      () =>
        forecast.send(
          new DescribeAutoPredictorCommand({ PredictorArn: predictorArn }),
        ),
    );
    if (predictor.DataConfig?.DatasetGroupArn !== datasetGroupArn) {
      throw new NotAllowedError(
        `Predictor ${predictorArn} was trained on ${
          predictor.DataConfig?.DatasetGroupArn ?? 'an unknown dataset group'
        }, not on ${datasetGroupArn} of ${scope.entityRef}`,
      );
    }

    const metrics = await callAws(`GetAccuracyMetrics on ${predictorArn}`, () =>
      forecast.send(
        new GetAccuracyMetricsCommand({ PredictorArn: predictorArn }),
      ),
    );
    const windows: AccuracyWindow[] = [];
    for (const result of metrics.PredictorEvaluationResults ?? []) {
      for (const window of result.TestWindows ?? []) {
        windows.push({
          evaluationType:
            window.EvaluationType === 'COMPUTED' ? 'COMPUTED' : 'SUMMARY',
          testWindowStart: window.TestWindowStart?.toISOString(),
          testWindowEnd: window.TestWindowEnd?.toISOString(),
          itemCount: window.ItemCount,
          metrics: toMetrics(window.Metrics),
        });
      }
    }

    return {
      predictorArn,
      predictorName: predictor.PredictorName,
      optimizationMetric:
        metrics.OptimizationMetric ?? predictor.OptimizationMetric,
      windows,
    };
  }

  private async predictorOfNewestForecast(
    scope: WorkloadScope,
    datasetGroupArn: string,
  ): Promise<string | undefined> {
    const forecast = await this.clients.get('forecast', scope.stackArn);
    let newest: { arn: string; time: number } | undefined;
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const token = nextToken;
      const page = await callAws(`ListForecasts of ${datasetGroupArn}`, () =>
        forecast.send(
          new ListForecastsCommand({
            Filters: [
              {
                Key: 'DatasetGroupArn',
                Value: datasetGroupArn,
                Condition: 'IS',
              },
              { Key: 'Status', Value: 'ACTIVE', Condition: 'IS' },
            ],
            MaxResults: 100,
            NextToken: token,
          }),
        ),
      );
      for (const summary of page.Forecasts ?? []) {
        const time = summary.CreationTime?.getTime() ?? 0;
        if (summary.PredictorArn && (!newest || time > newest.time)) {
          newest = { arn: summary.PredictorArn, time };
        }
      }
      nextToken = page.NextToken;
      pages += 1;
    } while (nextToken && pages < MAX_FORECAST_PAGES);
    return newest?.arn;
  }

  private async predictorOfSelection(
    scope: WorkloadScope,
  ): Promise<string | undefined> {
    const stateMachineArn = scope.stack.outputs.SelectPredictorStateMachineArn;
    if (!stateMachineArn) {
      return undefined;
    }
    const sfn = await this.clients.get('stepFunctions', stateMachineArn);
    const listed = await callAws(`ListExecutions on ${stateMachineArn}`, () =>
      sfn.send(
        new ListExecutionsCommand({
          stateMachineArn,
          statusFilter: 'SUCCEEDED',
          maxResults: 1,
        }),
      ),
    );
    const executionArn = listed.executions?.[0]?.executionArn;
    if (!executionArn) {
      return undefined;
    }
    const described = await callAws(
      `DescribeExecution on ${executionArn}`,
      () => sfn.send(new DescribeExecutionCommand({ executionArn })),
    );
    const found = PREDICTOR_ARN.exec(described.output ?? '')?.[0];
    this.logger.debug(`Predictor from ${executionArn}: ${found ?? 'none'}`);
    return found;
  }
}
