import type { Entity } from '@backstage/catalog-model';
import type {
  AccuracyResponse,
  ExecutionDetailResponse,
  ExecutionSummary,
  ExportsResponse,
  ForecastSeriesResponse,
  PipelineSummary,
  WorkloadResponse,
} from '@forecast-pipelines/plugin-forecast-common';

// Sample data for tests and the dev page, shaped like the backend's responses
// for a workload named `weekly-demand` in the sandbox account.

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const STACK = 'forecast-weekly-demand';

export const mockStackArn = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${STACK}/5f0c9a10-1111-4c3b-9a55-0123456789ab`;

export const mockEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'weekly-demand',
    namespace: 'default',
    title: 'Weekly demand',
    annotations: {
      'amazon-forecast/stack-arn': mockStackArn,
      'amazon-forecast/stack-role': 'workload',
    },
  },
  spec: { type: 'forecast-workload', lifecycle: 'production', owner: 'guest' },
};

export const mockEntityWithoutAnnotation: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'web-shop', namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'guest' },
};

export const PIPELINE_KEYS = [
  'workflow',
  'create-dataset-group',
  'import-data',
  'train-predictor',
  'select-predictor',
  'create-forecast',
] as const;

const PIPELINE_TITLES: Record<string, string> = {
  workflow: 'End-to-end workflow',
  'create-dataset-group': 'Create dataset group',
  'import-data': 'Import data',
  'train-predictor': 'Train predictor',
  'select-predictor': 'Select predictor',
  'create-forecast': 'Create forecast',
};

export function stateMachineArn(key: string): string {
  return `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${STACK}-${key}`;
}

export function executionArn(key: string, name: string): string {
  return `arn:aws:states:${REGION}:${ACCOUNT}:execution:${STACK}-${key}:${name}`;
}

/** Builds an execution summary that started `minutesAgo` before `now`. */
export function mockExecution(
  key: string,
  name: string,
  options: {
    status?: ExecutionSummary['status'];
    minutesAgo?: number;
    durationMinutes?: number;
    startedBy?: string;
    now?: number;
  } = {},
): ExecutionSummary {
  const {
    status = 'SUCCEEDED',
    minutesAgo = 60,
    durationMinutes = 12,
    startedBy = 'schedule',
    now = Date.now(),
  } = options;
  const start = now - minutesAgo * 60_000;
  return {
    executionArn: executionArn(key, name),
    stateMachineArn: stateMachineArn(key),
    pipelineKey: key,
    name,
    status,
    startDate: new Date(start).toISOString(),
    stopDate:
      status === 'RUNNING'
        ? undefined
        : new Date(start + durationMinutes * 60_000).toISOString(),
    startedBy,
  };
}

export function mockPipelines(now: number = Date.now()): PipelineSummary[] {
  return PIPELINE_KEYS.map((key, index) => ({
    key,
    title: PIPELINE_TITLES[key],
    name: `${STACK}-${key}`,
    stateMachineArn: stateMachineArn(key),
    lastExecution:
      key === 'create-dataset-group'
        ? undefined
        : mockExecution(key, `run-${index}`, {
            minutesAgo: 120 - index * 10,
            startedBy: key === 'workflow' ? 'schedule' : 'parent',
            now,
          }),
  }));
}

export function mockExecutions(now: number = Date.now()): ExecutionSummary[] {
  return [
    mockExecution('workflow', 'nightly-3', { minutesAgo: 60, now }),
    mockExecution('import-data', 'nightly-3-import', {
      minutesAgo: 59,
      durationMinutes: 3,
      startedBy: 'parent',
      now,
    }),
    mockExecution('workflow', 'nightly-2', {
      status: 'FAILED',
      minutesAgo: 24 * 60 + 60,
      durationMinutes: 4,
      now,
    }),
    mockExecution('workflow', 'manual-1', {
      minutesAgo: 2 * 24 * 60,
      startedBy: 'rerun by user:default/jane',
      now,
    }),
  ];
}

export const mockWorkload: WorkloadResponse = {
  stackName: STACK,
  stackArn: mockStackArn,
  stackStatus: 'CREATE_COMPLETE',
  region: REGION,
  accountId: ACCOUNT,
  lastUpdated: '2026-12-01T08:00:00.000Z',
  parameters: {
    DatasetGroupName: 'weekly_demand',
    Domain: 'RETAIL',
    DataFrequency: 'D',
    ForecastHorizon: '14',
    ForecastTypes: '0.1,0.5,0.9',
    OptimizationMetric: 'AverageWeightedQuantileLoss',
  },
  outputs: {
    WorkflowStateMachineArn: stateMachineArn('workflow'),
    ForecastExportPath: `s3://forecast-data-000000000000/${STACK}/forecast-exports/`,
  },
  schedule: {
    expression: 'cron(0 3 ? * MON *)',
    state: 'ENABLED',
    nextRun: '2026-12-07T03:00:00.000Z',
  },
  lastSuccessfulForecast: {
    executionArn: executionArn('workflow', 'nightly-3'),
    stopDate: '2026-12-04T03:12:00.000Z',
  },
  links: [
    {
      title: 'CloudFormation stack',
      url: `https://${REGION}.console.aws.amazon.com/cloudformation/home?region=${REGION}#/stacks/stackinfo?stackId=${encodeURIComponent(
        mockStackArn,
      )}`,
    },
    {
      title: 'Step Functions state machines',
      url: `https://${REGION}.console.aws.amazon.com/states/home?region=${REGION}#/statemachines`,
    },
  ],
};

export const mockExecutionDetail: ExecutionDetailResponse = {
  execution: mockExecution('workflow', 'nightly-2', {
    status: 'FAILED',
    minutesAgo: 25 * 60,
    durationMinutes: 4,
  }),
  input: '{"ImportMode":"FULL"}',
  output: undefined,
  steps: [
    {
      name: 'Read settings',
      type: 'Task',
      status: 'SUCCEEDED',
      startDate: '2026-12-03T03:00:00.000Z',
      endDate: '2026-12-03T03:00:01.000Z',
    },
    {
      name: 'Import data',
      type: 'Task',
      status: 'FAILED',
      startDate: '2026-12-03T03:00:01.000Z',
      endDate: '2026-12-03T03:04:00.000Z',
      error: 'Forecast.InvalidInputException',
      cause:
        'Row 17 of target/demand.csv: timestamp "2024-13-01" does not match the format yyyy-MM-dd',
    },
  ],
  failure: {
    step: 'Import data',
    error: 'Forecast.InvalidInputException',
    cause:
      'Row 17 of target/demand.csv: timestamp "2024-13-01" does not match the format yyyy-MM-dd',
  },
};

export const mockExports: ExportsResponse = {
  exports: [
    {
      exportJobArn: `arn:aws:forecast:${REGION}:${ACCOUNT}:forecast-export-job/weekly_demand_forecast/weekly_demand_export_20261204`,
      name: 'weekly_demand_export_20261204',
      status: 'ACTIVE',
      destination: `s3://forecast-data-000000000000/${STACK}/forecast-exports/20261204/`,
      creationTime: '2026-12-04T03:10:00.000Z',
      lastModificationTime: '2026-12-04T03:12:00.000Z',
      files: [
        {
          key: `${STACK}/forecast-exports/20261204/weekly_demand_export_20261204_2026-12-04T03-12-00Z_part0.csv`,
          name: 'weekly_demand_export_20261204_2026-12-04T03-12-00Z_part0.csv',
          size: 48_213,
          lastModified: '2026-12-04T03:12:00.000Z',
        },
        {
          key: `${STACK}/forecast-exports/20261204/_CHECK`,
          name: '_CHECK',
          size: 0,
          lastModified: '2026-12-04T03:12:00.000Z',
        },
      ],
    },
  ],
};

export function mockForecastSeries(item = 'item_001'): ForecastSeriesResponse {
  const start = Date.UTC(2026, 10, 1);
  const day = 86_400_000;
  const actuals = Array.from({ length: 28 }, (_, index) => ({
    date: new Date(start + index * day).toISOString().slice(0, 10),
    value: 100 + 20 * Math.sin(index / 3) + (index % 5),
  }));
  const forecast = Array.from({ length: 14 }, (_, index) => {
    const median = 100 + 20 * Math.sin((index + 28) / 3);
    return {
      date: new Date(start + (index + 28) * day).toISOString().slice(0, 10),
      p10: median - 15 - index,
      p50: median,
      p90: median + 15 + index,
    };
  });
  return {
    item,
    dimensions: { location: 'berlin' },
    items: ['item_001', 'item_002', 'item_003'],
    exportJobArn: mockExports.exports[0].exportJobArn,
    forecastTypes: ['p10', 'p50', 'p90'],
    forecast,
    actuals,
  };
}

export const mockAccuracy: AccuracyResponse = {
  predictorArn: `arn:aws:forecast:${REGION}:${ACCOUNT}:predictor/weekly_demand_predictor_20261204`,
  predictorName: 'weekly_demand_predictor_20261204',
  optimizationMetric: 'AverageWeightedQuantileLoss',
  windows: [
    {
      evaluationType: 'SUMMARY',
      metrics: {
        rmse: 12.41,
        averageWeightedQuantileLoss: 0.0842,
        weightedQuantileLosses: [
          { quantile: 0.1, lossValue: 0.0511 },
          { quantile: 0.5, lossValue: 0.1102 },
          { quantile: 0.9, lossValue: 0.0913 },
        ],
        errorMetrics: [
          {
            forecastType: 'mean',
            wape: 0.1187,
            rmse: 12.41,
            mase: 0.812,
            mape: 0.1342,
          },
        ],
      },
    },
    {
      evaluationType: 'COMPUTED',
      testWindowStart: '2026-11-15T00:00:00.000Z',
      testWindowEnd: '2026-11-29T00:00:00.000Z',
      itemCount: 3,
      metrics: {
        rmse: 12.41,
        averageWeightedQuantileLoss: 0.0842,
        weightedQuantileLosses: [
          { quantile: 0.1, lossValue: 0.0511 },
          { quantile: 0.5, lossValue: 0.1102 },
          { quantile: 0.9, lossValue: 0.0913 },
        ],
        errorMetrics: [
          {
            forecastType: 'mean',
            wape: 0.1187,
            rmse: 12.41,
            mase: 0.812,
            mape: 0.1342,
          },
        ],
      },
    },
  ],
};
