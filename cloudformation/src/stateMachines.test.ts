import { FakeAws } from './__testUtils__/fakeAws';
import {
  BUCKET,
  Definition,
  DATASET_GROUP_ARN,
  PipelineKey,
  runPipeline,
  seedParameters,
  STACK,
  TOPIC_ARN,
  workloadDefinitions,
} from './__testUtils__/runner';

const INPUT_PREFIX = `${STACK}/input/`;
const RUN_ID = /^\d{8}_\d{6}_\d{5}$/;

function setUp(parameters: Record<string, string> = {}) {
  const aws = new FakeAws();
  seedParameters(aws, parameters);
  const definitions = workloadDefinitions(parameters);
  const run = (key: PipelineKey, input: unknown = {}) =>
    runPipeline(key, aws, definitions, input);
  return { aws, definitions, run };
}

function uploadInput(aws: FakeAws, folders = ['target/']) {
  for (const folder of folders) {
    aws.objects.set(`${BUCKET}/${INPUT_PREFIX}${folder}data.csv`, 'x');
  }
}

const setParameter = (aws: FakeAws, name: string, value: string) =>
  aws.parameters.set(`/forecast/${STACK}/${name}`, value);

describe('create-dataset-group pipeline', () => {
  it('creates the target dataset and the dataset group', async () => {
    const { aws, run } = setUp();

    const result = await run('create-dataset-group');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.output.DatasetGroupArn).toBe(DATASET_GROUP_ARN);
    expect(aws.callsTo('createDataset')).toEqual([
      expect.objectContaining({
        DatasetName: 'weekly_demand_target',
        DatasetType: 'TARGET_TIME_SERIES',
        Domain: 'CUSTOM',
        DataFrequency: 'D',
      }),
    ]);
    expect(aws.callsTo('createDataset')[0].Schema.Attributes).toHaveLength(3);
    expect(aws.callsTo('createDatasetGroup')[0].DatasetArns).toEqual([
      expect.stringMatching(/:dataset\/weekly_demand_target$/),
    ]);
    expect(aws.published).toEqual([
      expect.objectContaining({
        TopicArn: TOPIC_ARN,
        Subject: `Forecast ${STACK}: create-dataset-group succeeded`,
      }),
    ]);
  });

  it('succeeds again when everything exists', async () => {
    const { aws, run } = setUp({
      IncludeRelatedTimeSeries: 'true',
      IncludeItemMetadata: 'true',
    });
    expect((await run('create-dataset-group')).status).toBe('SUCCEEDED');

    const second = await run('create-dataset-group');

    expect(second.status).toBe('SUCCEEDED');
    expect(second.output.DatasetArns).toHaveLength(3);
    expect(aws.callsTo('describeDataset')).toHaveLength(3);
    expect(aws.callsTo('updateDatasetGroup')).toHaveLength(0);
  });

  it('attaches datasets to a dataset group that already exists', async () => {
    const { aws, run } = setUp({ IncludeRelatedTimeSeries: 'true' });
    await aws.invoke('arn:aws:states:::aws-sdk:forecast:createDatasetGroup', {
      DatasetGroupName: 'weekly_demand',
      Domain: 'CUSTOM',
    });

    const result = await run('create-dataset-group');

    expect(result.status).toBe('SUCCEEDED');
    expect(aws.callsTo('updateDatasetGroup')).toEqual([
      {
        DatasetGroupArn: DATASET_GROUP_ARN,
        DatasetArns: [
          expect.stringMatching(/_target$/),
          expect.stringMatching(/_related$/),
        ],
      },
    ]);
  });
});

describe('import-data pipeline', () => {
  it('imports the target time series with a per-run job name', async () => {
    const { aws, run } = setUp();
    await run('create-dataset-group');
    uploadInput(aws);

    const result = await run('import-data');

    expect(result.status).toBe('SUCCEEDED');
    const [job] = aws.callsTo('createDatasetImportJob');
    expect(job.DatasetImportJobName).toMatch(/^import_\d{8}_\d{6}_\d{5}$/);
    expect(job.DataSource.S3Config.Path).toBe(
      `s3://${BUCKET}/${INPUT_PREFIX}target/`,
    );
    expect(job).toMatchObject({
      TimestampFormat: 'yyyy-MM-dd',
      ImportMode: 'FULL',
      Format: 'CSV',
    });
    expect(result.output.RunId).toMatch(RUN_ID);
    expect(result.output.DatasetImportJobs).toEqual([
      expect.objectContaining({
        DatasetType: 'TARGET_TIME_SERIES',
        Status: 'ACTIVE',
      }),
    ]);
    expect(result.states).toContain('Wait for target import');
  });

  it('runs twice on the same day without a name collision', async () => {
    const { aws, run } = setUp();
    await run('create-dataset-group');
    uploadInput(aws);

    const first = await run('import-data');
    const second = await run('import-data');

    expect(first.status).toBe('SUCCEEDED');
    expect(second.status).toBe('SUCCEEDED');
    const names = aws
      .callsTo('createDatasetImportJob')
      .map(job => job.DatasetImportJobName);
    expect(new Set(names).size).toBe(2);
  });

  it('fails with the service message of a CREATE_FAILED import', async () => {
    const { aws, run } = setUp();
    await run('create-dataset-group');
    uploadInput(aws);
    aws.failingImports.set(
      'weekly_demand_target',
      'Timestamp 2024-13-01 in row 7 does not match yyyy-MM-dd.',
    );

    const result = await run('import-data');

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('DatasetImportJobFailed');
    expect(result.cause).toContain('CREATE_FAILED');
    expect(result.cause).toContain(
      'Timestamp 2024-13-01 in row 7 does not match yyyy-MM-dd.',
    );
    expect(result.states).toContain('Failed');
    const notification = aws.published[aws.published.length - 1];
    expect(notification.Subject).toBe(`Forecast ${STACK}: import-data failed`);
    expect(notification.Message).toContain('row 7');
  });

  it('imports related time series and item metadata when included', async () => {
    const { aws, run } = setUp({
      IncludeRelatedTimeSeries: 'true',
      IncludeItemMetadata: 'true',
    });
    await run('create-dataset-group');
    uploadInput(aws, ['target/', 'related/', 'item-metadata/']);

    const result = await run('import-data');

    expect(result.status).toBe('SUCCEEDED');
    const jobs = aws.callsTo('createDatasetImportJob');
    expect(jobs.map(job => job.DataSource.S3Config.Path).sort()).toEqual([
      `s3://${BUCKET}/${INPUT_PREFIX}item-metadata/`,
      `s3://${BUCKET}/${INPUT_PREFIX}related/`,
      `s3://${BUCKET}/${INPUT_PREFIX}target/`,
    ]);
    const itemJob = jobs.find(job => job.DatasetArn.endsWith('_item_metadata'));
    expect(itemJob?.TimestampFormat).toBeUndefined();
    expect(result.output.DatasetImportJobs).toHaveLength(3);
  });

  it('fails early when no input files exist', async () => {
    const { aws, run } = setUp();
    await run('create-dataset-group');

    const result = await run('import-data');

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('InputDataMissing');
    expect(result.cause).toContain(`s3://${BUCKET}/${INPUT_PREFIX}target/`);
    expect(aws.callsTo('createDatasetImportJob')).toHaveLength(0);
  });
});

describe('train-predictor pipeline', () => {
  async function prepared(parameters: Record<string, string> = {}) {
    const context = setUp(parameters);
    await context.run('create-dataset-group');
    return context;
  }

  it('trains a new AutoPredictor and exports its backtest', async () => {
    const { aws, run } = await prepared({
      ForecastDimensions: 'store,region',
      AttributeConfigs:
        '[{"AttributeName":"target_value","Transformations":{"backfill":"zero"}}]',
    });

    const result = await run('train-predictor');

    expect(result.status).toBe('SUCCEEDED');
    const [request] = aws.callsTo('createAutoPredictor');
    expect(request).toEqual({
      PredictorName: expect.stringMatching(
        /^weekly_demand_predictor_\d{8}_\d{6}_\d{5}$/,
      ),
      ForecastHorizon: 14,
      ForecastFrequency: 'D',
      ForecastTypes: ['0.1', '0.5', '0.9'],
      ForecastDimensions: ['store', 'region'],
      OptimizationMetric: 'AverageWeightedQuantileLoss',
      DataConfig: {
        DatasetGroupArn: DATASET_GROUP_ARN,
        AttributeConfigs: [
          {
            AttributeName: 'target_value',
            Transformations: { backfill: 'zero' },
          },
        ],
      },
    });
    expect(
      aws.parameters.get(`/forecast/${STACK}/predictor/reference-arn`),
    ).toBe(result.output.PredictorArn);
    const [backtest] = aws.callsTo('createPredictorBacktestExportJob');
    expect(backtest.Destination.S3Config.Path).toBe(
      `s3://${BUCKET}/${STACK}/backtest-exports/${result.output.RunId}/`,
    );
    expect(result.output.BacktestExportPath).toBe(
      backtest.Destination.S3Config.Path,
    );
    expect(result.output.AccuracyMetrics.AverageWeightedQuantileLoss).toBe(
      0.15,
    );
    expect(result.output.Retrained).toBe(false);
    expect(aws.callsTo('createExplainability')).toHaveLength(0);
  });

  it('leaves out empty dimensions and attribute configs', async () => {
    const { aws, run } = await prepared();

    const result = await run('train-predictor');

    expect(result.status).toBe('SUCCEEDED');
    const [request] = aws.callsTo('createAutoPredictor');
    expect(request.ForecastDimensions).toBeUndefined();
    expect(request.DataConfig).toEqual({ DatasetGroupArn: DATASET_GROUP_ARN });
  });

  it('retrains the reference predictor on the next run', async () => {
    const { aws, run } = await prepared();
    const first = await run('train-predictor');

    const second = await run('train-predictor');

    expect(second.status).toBe('SUCCEEDED');
    const requests = aws.callsTo('createAutoPredictor');
    expect(requests[1]).toEqual({
      PredictorName: expect.stringMatching(/^weekly_demand_predictor_/),
      ReferencePredictorArn: first.output.PredictorArn,
    });
    expect(requests[1].PredictorName).not.toBe(requests[0].PredictorName);
    expect(second.output.Retrained).toBe(true);
    expect(
      aws.parameters.get(`/forecast/${STACK}/predictor/reference-arn`),
    ).toBe(second.output.PredictorArn);
  });

  it('trains a new predictor when the reference is gone', async () => {
    const { aws, run } = await prepared();
    setParameter(
      aws,
      'predictor/reference-arn',
      `${DATASET_GROUP_ARN.replace(
        'dataset-group/weekly_demand',
        'predictor/deleted_01',
      )}`,
    );

    const result = await run('train-predictor');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.output.Retrained).toBe(false);
    expect(
      aws.callsTo('createAutoPredictor')[1].DataConfig.DatasetGroupArn,
    ).toBe(DATASET_GROUP_ARN);
  });

  it('creates an explainability when enabled', async () => {
    const { aws, run } = await prepared({ ExplainPredictor: 'true' });

    const result = await run('train-predictor');

    expect(result.status).toBe('SUCCEEDED');
    const [request] = aws.callsTo('createExplainability');
    expect(request.ExplainabilityName).toMatch(
      /^weekly_demand_explain_\d{8}_\d{6}_\d{5}$/,
    );
    expect(request.ResourceArn).toBe(result.output.PredictorArn);
    expect(result.output.ExplainabilityArn).toMatch(
      /:explainability\/weekly_demand_explain_/,
    );
  });
});

describe('select-predictor pipeline', () => {
  const DAY = 24 * 60 * 60 * 1000;
  const utcDay = (daysAgo: number) => {
    const now = new Date();
    return new Date(
      Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) -
        daysAgo * DAY,
    );
  };

  it('selects the lowest metric among recent predictors', async () => {
    const { aws, run } = setUp({ OptimizationMetric: 'WAPE' });
    await run('create-dataset-group');
    const old = aws.addPredictor(
      'weekly_demand_old',
      DATASET_GROUP_ARN,
      utcDay(31),
      { WAPE: 0.01 },
    );
    const worse = aws.addPredictor(
      'weekly_demand_worse',
      DATASET_GROUP_ARN,
      utcDay(3),
      { WAPE: 0.3 },
    );
    const best = aws.addPredictor(
      'weekly_demand_best',
      DATASET_GROUP_ARN,
      new Date(utcDay(30).getTime() + 60_000),
      { WAPE: 0.2 },
    );
    aws.addPredictor(
      'weekly_demand_failed',
      DATASET_GROUP_ARN,
      utcDay(1),
      { WAPE: 0.001 },
      'CREATE_FAILED',
    );

    const result = await run('select-predictor');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({
      PredictorArn: best,
      Score: 0.2,
      OptimizationMetric: 'WAPE',
      CandidateCount: 3,
    });
    expect(
      aws.parameters.get(`/forecast/${STACK}/forecast/predictor-arn`),
    ).toBe(best);
    expect(
      aws
        .callsTo('getAccuracyMetrics')
        .map(call => call.PredictorArn)
        .sort(),
    ).toEqual([best, worse].sort());
    expect(old).not.toBe(best);
  });

  it('counts the maximum age across month and year ends', async () => {
    const { aws, run } = setUp({ PredictorMaxAgeDays: '400' });
    aws.addPredictor('weekly_demand_inside', DATASET_GROUP_ARN, utcDay(400), {
      AverageWeightedQuantileLoss: 0.3,
    });
    aws.addPredictor('weekly_demand_outside', DATASET_GROUP_ARN, utcDay(401), {
      AverageWeightedQuantileLoss: 0.1,
    });

    const result = await run('select-predictor');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.output.PredictorArn).toMatch(
      /predictor\/weekly_demand_inside_/,
    );
  });

  it.each(['RMSE', 'MASE', 'MAPE'])('ranks predictors by %s', async metric => {
    const { aws, run } = setUp({ OptimizationMetric: metric });
    aws.addPredictor('weekly_demand_a', DATASET_GROUP_ARN, utcDay(1), {
      [metric]: 5,
    });
    const b = aws.addPredictor(
      'weekly_demand_b',
      DATASET_GROUP_ARN,
      utcDay(1),
      { [metric]: 2 },
    );
    aws.addPredictor('weekly_demand_c', DATASET_GROUP_ARN, utcDay(1), {});

    const result = await run('select-predictor');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.output.PredictorArn).toBe(b);
    expect(result.output.Score).toBe(2);
  });

  it('fails when no predictor is young enough', async () => {
    const { aws, run } = setUp({ PredictorMaxAgeDays: '7' });
    aws.addPredictor('weekly_demand_old', DATASET_GROUP_ARN, utcDay(8), {
      AverageWeightedQuantileLoss: 0.1,
    });

    const result = await run('select-predictor');

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('NoEligiblePredictor');
    expect(result.cause).toContain('created in the last 7 days');
    expect(
      aws.parameters.get(`/forecast/${STACK}/forecast/predictor-arn`),
    ).toBe('none');
    expect(aws.published[0].Subject).toBe(
      `Forecast ${STACK}: select-predictor failed`,
    );
  });

  it('fails when the dataset group has no predictor', async () => {
    const { run } = setUp();

    const result = await run('select-predictor');

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('NoEligiblePredictor');
  });
});

describe('create-forecast pipeline', () => {
  it('creates a forecast and exports it to a per-run folder', async () => {
    const { aws, run } = setUp({ ForecastTypes: '0.5,mean' });
    const predictor = aws.addPredictor(
      'weekly_demand_p',
      DATASET_GROUP_ARN,
      new Date(),
      {},
    );
    setParameter(aws, 'forecast/predictor-arn', predictor);

    const result = await run('create-forecast');

    expect(result.status).toBe('SUCCEEDED');
    const [forecast] = aws.callsTo('createForecast');
    expect(forecast).toEqual({
      ForecastName: expect.stringMatching(
        /^weekly_demand_forecast_\d{8}_\d{6}_\d{5}$/,
      ),
      PredictorArn: predictor,
      ForecastTypes: ['0.5', 'mean'],
    });
    const exportPath = `s3://${BUCKET}/${STACK}/forecast-exports/${result.output.RunId}/`;
    expect(
      aws.callsTo('createForecastExportJob')[0].Destination.S3Config.Path,
    ).toBe(exportPath);
    expect(result.output).toMatchObject({
      ExportPath: exportPath,
      FileCount: 1,
      PredictorArn: predictor,
    });
  });

  it('runs twice on the same day into two folders', async () => {
    const { aws, run } = setUp();
    setParameter(
      aws,
      'forecast/predictor-arn',
      aws.addPredictor('weekly_demand_p', DATASET_GROUP_ARN, new Date(), {}),
    );

    const first = await run('create-forecast');
    const second = await run('create-forecast');

    expect(second.status).toBe('SUCCEEDED');
    expect(second.output.ExportPath).not.toBe(first.output.ExportPath);
    expect(second.output.ForecastArn).not.toBe(first.output.ForecastArn);
  });

  it('fails before any predictor is selected', async () => {
    const { aws, run } = setUp();

    const result = await run('create-forecast');

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('NoPredictorSelected');
    expect(aws.callsTo('createForecast')).toHaveLength(0);
  });
});

describe('workflow pipeline', () => {
  it('runs the five pipelines in order and notifies once', async () => {
    const { aws, run } = setUp({ NotificationEmail: 'ops@example.com' });
    uploadInput(aws);

    const result = await run('workflow');

    expect(result.status).toBe('SUCCEEDED');
    const children = aws.callsTo('startExecution.sync:2');
    expect(
      children.map(child => child.StateMachineArn.split(':').pop()),
    ).toEqual(
      [
        'create-dataset-group',
        'import-data',
        'train-predictor',
        'select-predictor',
        'create-forecast',
      ].map(key => `${STACK}-${key}`),
    );
    expect(
      children.every(child => child.Input.SkipNotifications === true),
    ).toBe(true);
    expect(result.output.SelectedPredictorArn).toBe(result.output.PredictorArn);
    expect(result.output.ExportPath).toMatch(
      new RegExp(
        `^s3://${BUCKET}/${STACK}/forecast-exports/\\d{8}_\\d{6}_\\d{5}/$`,
      ),
    );
    expect(aws.published).toHaveLength(1);
    expect(aws.published[0].Subject).toBe(
      `Forecast ${STACK}: workflow succeeded`,
    );
  });

  it('stops at a failing pipeline and reports its cause', async () => {
    const { aws, run } = setUp();
    uploadInput(aws);
    aws.failingImports.set(
      'weekly_demand_target',
      'Column target_value in row 3 is not a number.',
    );

    const result = await run('workflow');

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('States.TaskFailed');
    expect(result.cause).toContain(
      'Column target_value in row 3 is not a number.',
    );
    expect(aws.callsTo('createAutoPredictor')).toHaveLength(0);
    expect(aws.published).toHaveLength(1);
    expect(aws.published[0].Subject).toBe(`Forecast ${STACK}: workflow failed`);
  });
});

describe('select-predictor cutoff date', () => {
  // The states from "Read start date" to "Encode cutoff date", reading the
  // date from the input because the library sets $$.Execution.StartTime to now.
  function cutoffMachine(): Definition {
    const { States } = workloadDefinitions()['select-predictor'];
    const states: Record<string, any> = {};
    const queue = ['Read start date'];
    while (queue.length > 0) {
      const name = queue.shift()!;
      if (states[name]) continue;
      states[name] = JSON.parse(JSON.stringify(States[name]));
      if (name === 'Encode cutoff date') {
        delete states[name].Next;
        states[name].End = true;
        continue;
      }
      const next = [
        States[name].Next,
        States[name].Default,
        ...(States[name].Choices ?? []).map((choice: any) => choice.Next),
      ];
      queue.push(...next.filter(Boolean));
    }
    expect(states['Read start date'].Parameters['Date.$']).toContain(
      '$$.Execution.StartTime',
    );
    states['Read start date'].Parameters['Date.$'] = '$.StartDate';
    return { StartAt: 'Read start date', States: states };
  }

  const encode = (date: Date) =>
    Number(
      `${date.getUTCFullYear()}${100 + date.getUTCMonth() + 1}${
        100 + date.getUTCDate()
      }`,
    );

  it.each([
    ['2024-03-01', 1],
    ['2023-03-01', 1],
    ['2000-03-01', 1],
    ['2026-01-05', 10],
    ['2026-07-31', 31],
    ['2026-03-31', 30],
    ['2026-12-04', 365],
    ['2028-02-29', 1461],
    ['2026-12-04', 3650],
  ])('%s minus %d days', async (start, days) => {
    const machine = cutoffMachine();
    const [year, month, day] = start.split('-');
    const expected = new Date(
      Date.parse(`${start}T00:00:00Z`) - days * 86_400_000,
    );

    const aws = new FakeAws();
    const result = await runPipeline(
      'select-predictor',
      aws,
      { ...workloadDefinitions(), 'select-predictor': machine },
      {
        StartDate: [year, month, day],
        Settings: { MaxAgeDays: String(days) },
      },
    );

    expect(result.status).toBe('SUCCEEDED');
    expect(result.output.CutoffDate.Key).toBe(encode(expected));
  });
});
