import {
  buildWorkloadParameters,
  deriveCheckedWorkloadNames,
  WorkloadSettings,
} from './workloadParameters';

const HOURLY_SCHEMA = [
  { AttributeName: 'timestamp', AttributeType: 'timestamp' },
  { AttributeName: 'target_value', AttributeType: 'float' },
  { AttributeName: 'item_id', AttributeType: 'string' },
];

function settings(overrides: Partial<WorkloadSettings> = {}): WorkloadSettings {
  return {
    name: 'weekly-demand',
    dependencyStackName: 'forecast-dependency',
    domain: 'CUSTOM',
    targetSchema: HOURLY_SCHEMA,
    dataFrequency: 'H',
    timestampFormat: 'yyyy-MM-dd HH:mm:ss',
    includeRelatedTimeSeries: false,
    includeItemMetadata: false,
    forecastDimensions: [],
    forecastHorizon: 24,
    quantiles: ['0.1', '0.5', '0.9'],
    optimizationMetric: 'AverageWeightedQuantileLoss',
    explainPredictor: false,
    importMode: 'FULL',
    schedule: 'none',
    predictorMaxAgeDays: 30,
    ...overrides,
  };
}

const names = deriveCheckedWorkloadNames('weekly-demand');

describe('deriveCheckedWorkloadNames', () => {
  it('derives stack and dataset group names', () => {
    expect(names).toEqual({
      stackName: 'forecast-weekly-demand',
      datasetGroupName: 'weekly_demand',
      entityName: 'weekly-demand',
    });
  });

  it.each([
    ['1-weekly', 'must start with a letter'],
    ['weekly demand', 'is invalid'],
    ['weekly.demand', 'stack name must start with a letter'],
    ['a'.repeat(64), 'must be 1 to 63 characters'],
  ])('rejects %s with the rule', (name, rule) => {
    expect(() => deriveCheckedWorkloadNames(name)).toThrow(rule);
  });
});

describe('buildWorkloadParameters', () => {
  it('maps the defaults to template parameters', () => {
    const parameters = buildWorkloadParameters(settings(), names);
    expect(parameters).toMatchObject({
      DependencyStackName: 'forecast-dependency',
      DatasetGroupName: 'weekly_demand',
      Domain: 'CUSTOM',
      DataFrequency: 'H',
      ForecastFrequency: 'H',
      ForecastHorizon: '24',
      TrainingForecastTypes: '0.1,0.5,0.9',
      ForecastTypes: '0.1,0.5,0.9',
      IncludeRelatedTimeSeries: 'false',
      IncludeItemMetadata: 'false',
      AttributeConfigs: '[]',
      InputDataPrefix: 'forecast-weekly-demand/input/',
      ScheduleExpression: '',
      NotificationEmail: '',
      PredictorMaxAgeDays: '30',
    });
    expect(JSON.parse(parameters.TargetTimeSeriesSchema)).toEqual({
      Attributes: HOURLY_SCHEMA,
    });
    expect(parameters.RelatedTimeSeriesSchema).toBeUndefined();
  });

  it('accepts the schema as JSON text', () => {
    const parameters = buildWorkloadParameters(
      settings({ targetSchema: JSON.stringify({ Attributes: HOURLY_SCHEMA }) }),
      names,
    );
    expect(
      JSON.parse(parameters.TargetTimeSeriesSchema).Attributes,
    ).toHaveLength(3);
  });

  it.each([
    ['daily', 'cron(0 6 * * ? *)'],
    ['weekly', 'cron(0 6 ? * MON *)'],
    ['monthly', 'cron(0 6 1 * ? *)'],
  ] as const)('turns the %s schedule into %s', (schedule, expression) => {
    expect(
      buildWorkloadParameters(settings({ schedule }), names).ScheduleExpression,
    ).toBe(expression);
  });

  it('wraps a bare custom cron expression', () => {
    expect(
      buildWorkloadParameters(
        settings({ schedule: 'custom', scheduleExpression: '30 2 ? * SUN *' }),
        names,
      ).ScheduleExpression,
    ).toBe('cron(30 2 ? * SUN *)');
  });

  it.each([
    [{ schedule: 'custom', scheduleExpression: '0 6 * * *' }, 'has 5 fields'],
    [
      { schedule: 'custom', scheduleExpression: 'cron(0 6 * * * *)' },
      'exactly one of day-of-month',
    ],
    [
      { schedule: 'custom', scheduleExpression: 'rate(0 days)' },
      'a rate is rate(',
    ],
    [{ schedule: 'custom' }, 'scheduleExpression is missing'],
    [{ targetSchema: '{"Attributes":' }, 'targetSchema is not valid JSON'],
    [
      { targetSchema: HOURLY_SCHEMA.slice(0, 2) },
      'must have a column named "item_id"',
    ],
    [
      {
        targetSchema: [
          ...HOURLY_SCHEMA,
          { AttributeName: 'bad-name', AttributeType: 'string' },
        ],
      },
      'must start with a letter and contain only letters, digits and underscores',
    ],
    [
      {
        targetSchema: [
          ...HOURLY_SCHEMA,
          { AttributeName: 'store', AttributeType: 'text' },
        ],
      },
      'allowed types are',
    ],
    [
      { dataFrequency: '2X' },
      'dataFrequency "2X" is not an Amazon Forecast frequency',
    ],
    [
      { timestampFormat: 'dd/MM/yyyy' },
      'timestampFormat "dd/MM/yyyy" is not supported',
    ],
    [{ timestampFormat: 'yyyy-MM-dd' }, 'needs one: use yyyy-MM-dd HH:mm:ss'],
    [{ forecastHorizon: 0 }, 'forecastHorizon 0 must be a whole number'],
    [{ forecastHorizon: 501 }, 'from 1 to 500'],
    [{ quantiles: ['0.1', '1.5'] }, 'quantile "1.5" is invalid'],
    [
      { quantiles: ['0.1', '0.2', '0.3', '0.4', '0.5', '0.6'] },
      'quantiles must list 1 to 5',
    ],
    [
      { forecastDimensions: ['store_id'] },
      'forecastDimensions lists "store_id"',
    ],
    [
      { notificationEmail: 'ops-at-example' },
      'notificationEmail "ops-at-example" is not an e-mail address',
    ],
    [{ domain: 'SALES' }, 'domain "SALES" is not an Amazon Forecast domain'],
    [
      { inputDataPrefix: 's3://bucket/x/' },
      'must be a key prefix inside the dependency bucket',
    ],
    [{ includeRelatedTimeSeries: true }, 'relatedTimeSeriesSchema is missing'],
    [{ attributeConfigs: '{"a":1}' }, 'attributeConfigs must be a JSON list'],
    [
      { dependencyStackName: 'my_deps' },
      'dependencyStackName "my_deps" is invalid',
    ],
  ] as Array<[Partial<WorkloadSettings>, string]>)(
    'rejects %j',
    (overrides, message) => {
      expect(() => buildWorkloadParameters(settings(overrides), names)).toThrow(
        message,
      );
    },
  );

  it('lists every problem in one error', () => {
    expect(() =>
      buildWorkloadParameters(
        settings({ forecastHorizon: 0, dataFrequency: 'X' }),
        names,
      ),
    ).toThrow(/forecastHorizon.*;.*|dataFrequency.*;.*forecastHorizon/);
  });

  it('passes related series and item metadata schemas when enabled', () => {
    const parameters = buildWorkloadParameters(
      settings({
        includeRelatedTimeSeries: true,
        relatedTimeSeriesSchema: [
          { AttributeName: 'timestamp', AttributeType: 'timestamp' },
          { AttributeName: 'item_id', AttributeType: 'string' },
          { AttributeName: 'price', AttributeType: 'float' },
        ],
        includeItemMetadata: true,
        itemMetadataSchema: {
          Attributes: [
            { AttributeName: 'item_id', AttributeType: 'string' },
            { AttributeName: 'category', AttributeType: 'string' },
          ],
        },
      }),
      names,
    );
    expect(parameters.IncludeRelatedTimeSeries).toBe('true');
    expect(parameters.RelatedDataFrequency).toBe('H');
    expect(
      JSON.parse(parameters.RelatedTimeSeriesSchema).Attributes,
    ).toHaveLength(3);
    expect(JSON.parse(parameters.ItemMetadataSchema).Attributes).toHaveLength(
      2,
    );
  });
});
