import { generateDemoDataset } from '@forecast-pipelines/plugin-forecast-node';
import {
  createFixture,
  createGroup,
  importData,
  ROLE,
  TARGET_SCHEMA,
  type ForecastFixture,
} from './__testUtils__/fixture';

const DEMO = generateDemoDataset({ items: 3, days: 28 });

async function trainDemo(fixture: ForecastFixture, extra: object = {}) {
  const { DatasetArn, DatasetGroupArn } = await createGroup(fixture);
  await fixture.put('input/target/demo.csv', DEMO);
  const job = await importData(fixture, DatasetArn, 'input/target/');
  expect(job.Status).toBe('ACTIVE');
  const { PredictorArn } = await fixture.call('CreateAutoPredictor', {
    PredictorName: 'demand_predictor',
    ForecastHorizon: 24,
    ForecastFrequency: 'H',
    DataConfig: { DatasetGroupArn },
    ...extra,
  });
  await fixture.service.whenIdle();
  return { DatasetArn, DatasetGroupArn, PredictorArn };
}

describe('Forecast service', () => {
  let fixture: ForecastFixture;

  beforeEach(async () => {
    fixture = await createFixture();
  });

  afterEach(() => fixture.close());

  it('creates dataset groups with ARNs and rejects duplicates', async () => {
    const { DatasetGroupArn } = await createGroup(fixture);
    expect(DatasetGroupArn).toBe(
      'arn:aws:forecast:us-east-1:000000000000:dataset-group/demand',
    );
    const group = await fixture.call('DescribeDatasetGroup', {
      DatasetGroupArn,
    });
    expect(group.Status).toBe('ACTIVE');
    expect(group.DatasetArns).toEqual([
      'arn:aws:forecast:us-east-1:000000000000:dataset/demand_target',
    ]);
    expect(typeof group.CreationTime).toBe('number');

    await expect(
      fixture.call('CreateDatasetGroup', {
        DatasetGroupName: 'demand',
        Domain: 'CUSTOM',
      }),
    ).rejects.toMatchObject({
      code: 'ResourceAlreadyExistsException',
      message: expect.stringContaining('dataset-group/demand already exists'),
    });
  });

  it('rejects names with a hyphen', async () => {
    await expect(
      fixture.call('CreateDatasetGroup', {
        DatasetGroupName: 'weekly-demand',
        Domain: 'CUSTOM',
      }),
    ).rejects.toMatchObject({
      code: 'InvalidInputException',
      message: expect.stringMatching(
        /DatasetGroupName "weekly-demand".*letters, digits and underscores/,
      ),
    });
  });

  it('rejects a target schema without the domain fields', async () => {
    await expect(
      fixture.call('CreateDataset', {
        DatasetName: 'bad',
        Domain: 'RETAIL',
        DatasetType: 'TARGET_TIME_SERIES',
        Schema: {
          Attributes: [
            { AttributeName: 'item_id', AttributeType: 'string' },
            { AttributeName: 'timestamp', AttributeType: 'timestamp' },
          ],
        },
      }),
    ).rejects.toThrow('must include the attribute demand');
  });

  it('rejects a target schema with too many attributes', async () => {
    const dimensions = Array.from({ length: 11 }, (_, i) => ({
      AttributeName: `dimension_${i}`,
      AttributeType: 'string',
    }));
    await expect(
      fixture.call('CreateDataset', {
        DatasetName: 'wide',
        Domain: 'CUSTOM',
        DatasetType: 'TARGET_TIME_SERIES',
        Schema: {
          Attributes: [...TARGET_SCHEMA.Attributes, ...dimensions],
        },
      }),
    ).rejects.toThrow(
      'A TARGET_TIME_SERIES schema can have at most 13 attributes; this one has 14.',
    );
  });

  it('imports CSV and fills FieldStatistics', async () => {
    const { DatasetArn } = await createGroup(fixture);
    await fixture.put(
      'input/a.csv',
      '2024-01-01 00:00:00,10,a\n2024-01-01 01:00:00,,a\n2024-01-01 00:00:00,4,b\n',
    );
    const job = await importData(fixture, DatasetArn, 'input/');

    expect(job.Status).toBe('ACTIVE');
    expect(job.DatasetImportJobArn).toBe(
      'arn:aws:forecast:us-east-1:000000000000:dataset-import-job/demand_target/import_1',
    );
    expect(job.FieldStatistics.target_value).toMatchObject({
      Count: 3,
      CountNull: 1,
      Min: '4',
      Max: '10',
      Avg: 7,
    });
    expect(job.FieldStatistics.item_id).toMatchObject({
      Count: 3,
      CountDistinct: 2,
    });
    expect(job.FieldStatistics.timestamp).toMatchObject({
      Min: '2024-01-01 00:00:00',
      Max: '2024-01-01 01:00:00',
    });
    expect(job.DataSize).toBeGreaterThan(0);
  });

  it('moves an import job through the status lifecycle', async () => {
    const { DatasetArn } = await createGroup(fixture);
    await fixture.put('input/a.csv', DEMO);
    const { DatasetImportJobArn } = await fixture.call(
      'CreateDatasetImportJob',
      {
        DatasetImportJobName: 'first',
        DatasetArn,
        DataSource: { S3Config: { Path: 's3://data/input/', RoleArn: ROLE } },
      },
    );
    const pending = await fixture.call('DescribeDatasetImportJob', {
      DatasetImportJobArn,
    });
    expect(pending.Status).toBe('CREATE_PENDING');
    const dataset = await fixture.call('DescribeDataset', { DatasetArn });
    expect(dataset.Status).toBe('UPDATE_IN_PROGRESS');

    await expect(
      fixture.call('CreateDatasetImportJob', {
        DatasetImportJobName: 'second',
        DatasetArn,
        DataSource: { S3Config: { Path: 's3://data/input/', RoleArn: ROLE } },
      }),
    ).rejects.toMatchObject({ code: 'ResourceInUseException' });

    await fixture.service.whenIdle();
    const done = await fixture.call('DescribeDatasetImportJob', {
      DatasetImportJobArn,
    });
    expect(done.Status).toBe('ACTIVE');
    expect(done.LastModificationTime).toBeGreaterThanOrEqual(done.CreationTime);
  });

  it('reads CSV with quoted commas, a BOM and CRLF line endings', async () => {
    const schema = {
      Attributes: [
        { AttributeName: 'item_id', AttributeType: 'string' },
        { AttributeName: 'timestamp', AttributeType: 'timestamp' },
        { AttributeName: 'target_value', AttributeType: 'float' },
      ],
    };
    const { DatasetArn } = await createGroup(fixture, 'quoted', schema);
    await fixture.put(
      'in/q.csv',
      '\uFEFFitem_id,timestamp,target_value\r\n"shop, north",2024-01-01 00:00:00,1.5\r\n"shop, north",2024-01-01 01:00:00,2\r\n',
    );
    const job = await importData(fixture, DatasetArn, 'in/');
    expect(job.Message).toBeUndefined();
    expect(job.Status).toBe('ACTIVE');
    expect(job.FieldStatistics.item_id.CountDistinct).toBe(1);
    expect(job.FieldStatistics.target_value.Max).toBe('2');
  });

  it('fails an import on a wrong timestamp format', async () => {
    const { DatasetArn } = await createGroup(fixture);
    await fixture.put(
      'in/t.csv',
      '2019-08-21 14:00:00,1,a\n2019-08-21T15:00:00Z,2,a\n',
    );
    const job = await importData(fixture, DatasetArn, 'in/');
    expect(job.Status).toBe('CREATE_FAILED');
    expect(job.Message).toBe(
      's3://data/in/t.csv line 2, column timestamp: "2019-08-21T15:00:00Z" does not match the TimestampFormat yyyy-MM-dd HH:mm:ss. Write timestamps in that format or set the import job\'s TimestampFormat to match the file.',
    );
  });

  it('rejects an unsupported timestamp format', async () => {
    const { DatasetArn } = await createGroup(fixture);
    await fixture.put('in/a.csv', '2019-08-21 14:00:00,1,a\n');
    await expect(
      importData(fixture, DatasetArn, 'in/', {
        TimestampFormat: 'dd MMM yyyy',
      }),
    ).rejects.toMatchObject({
      code: 'InvalidInputException',
      message: expect.stringContaining(
        'Invalid TimestampFormat "dd MMM yyyy": "M" in "dd MMM yyyy" is not supported',
      ),
    });
  });

  it('fails an import on a non-numeric target', async () => {
    const { DatasetArn } = await createGroup(fixture);
    await fixture.put('in/n.csv', '2019-08-21 14:00:00,12a,a\n');
    const job = await importData(fixture, DatasetArn, 'in/');
    expect(job.Status).toBe('CREATE_FAILED');
    expect(job.Message).toMatch(
      /^s3:\/\/data\/in\/n\.csv line 1, column target_value: "12a" is not a valid float/,
    );
  });

  it('fails an import whose header does not match the schema', async () => {
    const { DatasetArn } = await createGroup(fixture);
    await fixture.put(
      'in/h.csv',
      'item_id,timestamp,target_value\na,2019-08-21 14:00:00,1\n',
    );
    const job = await importData(fixture, DatasetArn, 'in/');
    expect(job.Status).toBe('CREATE_FAILED');
    expect(job.Message).toContain(
      'The header row of s3://data/in/h.csv (item_id,timestamp,target_value) does not match the dataset schema, whose attributes in order are timestamp,target_value,item_id',
    );
  });

  it('rejects an import from an empty S3 prefix', async () => {
    const { DatasetArn } = await createGroup(fixture);
    await expect(
      importData(fixture, DatasetArn, 'nothing/here/'),
    ).rejects.toMatchObject({
      code: 'InvalidInputException',
      message: expect.stringContaining(
        'No data files found at s3://data/nothing/here/',
      ),
    });
    const jobs = await fixture.call('ListDatasetImportJobs', {});
    expect(jobs.DatasetImportJobs).toEqual([]);
  });

  it('rejects a field count that does not match the schema', async () => {
    const { DatasetArn } = await createGroup(fixture);
    await fixture.put('in/c.csv', '2019-08-21 14:00:00,1,shop, north\n');
    const job = await importData(fixture, DatasetArn, 'in/');
    expect(job.Status).toBe('CREATE_FAILED');
    expect(job.Message).toContain(
      'line 1: found 4 fields but the schema has 3',
    );
  });

  it('fails a related series import with a non-numeric feature', async () => {
    const { DatasetArn } = await fixture.call('CreateDataset', {
      DatasetName: 'prices',
      Domain: 'CUSTOM',
      DatasetType: 'RELATED_TIME_SERIES',
      DataFrequency: 'H',
      Schema: {
        Attributes: [
          { AttributeName: 'timestamp', AttributeType: 'timestamp' },
          { AttributeName: 'item_id', AttributeType: 'string' },
          { AttributeName: 'price', AttributeType: 'float' },
        ],
      },
    });
    await fixture.put('rel/p.csv', '2019-08-21 14:00:00,a,cheap\n');
    const job = await importData(fixture, DatasetArn, 'rel/');
    expect(job.Status).toBe('CREATE_FAILED');
    expect(job.Message).toContain('column price: "cheap" is not a valid float');
  });

  it('imports item metadata without timestamps', async () => {
    const { DatasetArn } = await fixture.call('CreateDataset', {
      DatasetName: 'items',
      Domain: 'CUSTOM',
      DatasetType: 'ITEM_METADATA',
      Schema: {
        Attributes: [
          { AttributeName: 'item_id', AttributeType: 'string' },
          { AttributeName: 'category', AttributeType: 'string' },
        ],
      },
    });
    await fixture.put(
      'meta/items.csv',
      'item_id,category\nitem_001,"audio, portable"\nitem_002,video\n',
    );
    const job = await importData(fixture, DatasetArn, 'meta/');
    expect(job.Status).toBe('ACTIVE');
    expect(job.FieldStatistics.item_id).toEqual({
      Count: 2,
      CountDistinct: 2,
      CountNull: 0,
    });
    expect(job.FieldStatistics.category.CountDistinct).toBe(2);
  });

  it('replaces and appends records in INCREMENTAL mode', async () => {
    const { DatasetArn, DatasetGroupArn } = await createGroup(fixture);
    await fixture.put('full/a.csv', DEMO);
    await importData(fixture, DatasetArn, 'full/');
    // One new hour per item after the end of the demo data.
    await fixture.put(
      'more/b.csv',
      '2024-01-29 00:00:00,1000,item_001\n2024-01-29 00:00:00,1000,item_002\n2024-01-29 00:00:00,1000,item_003\n',
    );
    const job = await importData(
      fixture,
      DatasetArn,
      'more/',
      { ImportMode: 'INCREMENTAL' },
      'import_2',
    );
    expect(job.Status).toBe('ACTIVE');
    expect(job.ImportMode).toBe('INCREMENTAL');

    const { PredictorArn } = await fixture.call('CreateAutoPredictor', {
      PredictorName: 'p',
      ForecastHorizon: 24,
      ForecastFrequency: 'H',
      DataConfig: { DatasetGroupArn },
    });
    await fixture.service.whenIdle();
    const metrics = await fixture.call('GetAccuracyMetrics', { PredictorArn });
    const computed = metrics.PredictorEvaluationResults[0].TestWindows[1];
    // 28 days of data plus the appended hour: the window ends one hour later.
    expect(computed.TestWindowEnd).toBe(Date.UTC(2024, 0, 29, 1) / 1000);
  });

  it('rejects an INCREMENTAL import before any data', async () => {
    const { DatasetArn } = await createGroup(fixture);
    await fixture.put('in/a.csv', DEMO);
    await expect(
      importData(fixture, DatasetArn, 'in/', { ImportMode: 'INCREMENTAL' }),
    ).rejects.toThrow('run a FULL import first');
  });

  it('trains an AutoPredictor and reports metrics in Forecast shape', async () => {
    const { PredictorArn, DatasetGroupArn } = await trainDemo(fixture);
    expect(PredictorArn).toMatch(
      /^arn:aws:forecast:us-east-1:000000000000:predictor\/demand_predictor_[0-9A-HJKMNP-TV-Z]{26}$/,
    );
    const predictor = await fixture.call('DescribeAutoPredictor', {
      PredictorArn,
    });
    expect(predictor.Status).toBe('ACTIVE');
    expect(predictor.PredictorName).toBe('demand_predictor');
    expect(predictor.ForecastTypes).toEqual(['0.1', '0.5', '0.9']);
    expect(predictor.OptimizationMetric).toBe('AverageWeightedQuantileLoss');
    expect(predictor.DataConfig.DatasetGroupArn).toBe(DatasetGroupArn);
    expect(predictor.DatasetImportJobArns).toHaveLength(1);

    const metrics = await fixture.call('GetAccuracyMetrics', { PredictorArn });
    expect(metrics.IsAutoPredictor).toBe(true);
    const [summary, computed] =
      metrics.PredictorEvaluationResults[0].TestWindows;
    expect(summary.EvaluationType).toBe('SUMMARY');
    expect(summary.TestWindowStart).toBeUndefined();
    expect(computed).toMatchObject({
      EvaluationType: 'COMPUTED',
      ItemCount: 3,
      TestWindowStart: Date.UTC(2024, 0, 28) / 1000,
      TestWindowEnd: Date.UTC(2024, 0, 29) / 1000,
    });
    const losses = summary.Metrics.WeightedQuantileLosses;
    expect(losses.map((l: { Quantile: number }) => l.Quantile)).toEqual([
      0.9, 0.5, 0.1,
    ]);
    // The demo data is regular: a sound model is well within 25% error.
    expect(losses[1].LossValue).toBeLessThan(0.25);
    expect(summary.Metrics.ErrorMetrics).toHaveLength(3);
    expect(summary.Metrics.RMSE).toBeGreaterThan(0);
  });

  it('moves a predictor through pending and in progress', async () => {
    const { DatasetArn, DatasetGroupArn } = await createGroup(fixture);
    await fixture.put('in/a.csv', DEMO);
    await importData(fixture, DatasetArn, 'in/');
    const { PredictorArn } = await fixture.call('CreateAutoPredictor', {
      PredictorName: 'p',
      ForecastHorizon: 24,
      ForecastFrequency: 'H',
      DataConfig: { DatasetGroupArn },
    });
    const seen = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const { Status } = await fixture.call('DescribeAutoPredictor', {
        PredictorArn,
      });
      seen.add(Status);
      if (Status === 'ACTIVE' || Status === 'CREATE_FAILED') {
        break;
      }
      await new Promise(resolve => setTimeout(resolve, 5));
    }
    expect([...seen]).toEqual([
      'CREATE_PENDING',
      'CREATE_IN_PROGRESS',
      'ACTIVE',
    ]);

    await expect(
      fixture.call('GetAccuracyMetrics', { PredictorArn: `${PredictorArn}X` }),
    ).rejects.toMatchObject({ code: 'ResourceNotFoundException' });
  });

  it('rejects accuracy metrics while training', async () => {
    const { DatasetArn, DatasetGroupArn } = await createGroup(fixture);
    await fixture.put('in/a.csv', DEMO);
    await importData(fixture, DatasetArn, 'in/');
    const { PredictorArn } = await fixture.call('CreateAutoPredictor', {
      PredictorName: 'p',
      ForecastHorizon: 24,
      ForecastFrequency: 'H',
      DataConfig: { DatasetGroupArn },
    });
    await expect(
      fixture.call('GetAccuracyMetrics', { PredictorArn }),
    ).rejects.toMatchObject({ code: 'ResourceInUseException' });
    await fixture.service.whenIdle();
  });

  it('rejects a horizon beyond the limit', async () => {
    const { DatasetArn, DatasetGroupArn } = await createGroup(fixture);
    await fixture.put('in/a.csv', DEMO);
    await importData(fixture, DatasetArn, 'in/');
    // 28 days of hourly data: 672 values, so the limit is min(500, 168).
    await expect(
      fixture.call('CreateAutoPredictor', {
        PredictorName: 'p',
        ForecastHorizon: 169,
        ForecastFrequency: 'H',
        DataConfig: { DatasetGroupArn },
      }),
    ).rejects.toMatchObject({
      code: 'InvalidInputException',
      message: expect.stringContaining(
        'ForecastHorizon 169 exceeds the limit of 168 for this data: the horizon can be at most min(500, 672 / 4)',
      ),
    });
    const { Predictors } = await fixture.call('ListPredictors', {});
    expect(Predictors).toEqual([]);
  });

  it('rejects a forecast frequency finer than the data', async () => {
    const { DatasetArn } = await fixture.call('CreateDataset', {
      DatasetName: 'daily',
      Domain: 'CUSTOM',
      DatasetType: 'TARGET_TIME_SERIES',
      DataFrequency: 'D',
      Schema: {
        Attributes: [
          { AttributeName: 'timestamp', AttributeType: 'timestamp' },
          { AttributeName: 'target_value', AttributeType: 'float' },
          { AttributeName: 'item_id', AttributeType: 'string' },
        ],
      },
    });
    const { DatasetGroupArn } = await fixture.call('CreateDatasetGroup', {
      DatasetGroupName: 'daily',
      Domain: 'CUSTOM',
      DatasetArns: [DatasetArn],
    });
    await fixture.put('in/a.csv', DEMO);
    await importData(fixture, DatasetArn, 'in/');
    await expect(
      fixture.call('CreateAutoPredictor', {
        PredictorName: 'p',
        ForecastHorizon: 24,
        ForecastFrequency: 'H',
        DataConfig: { DatasetGroupArn },
      }),
    ).rejects.toThrow(
      "ForecastFrequency H is finer than the target time series' DataFrequency D",
    );
  });

  it('rejects an item with too little history', async () => {
    const { DatasetArn, DatasetGroupArn } = await createGroup(fixture);
    await fixture.put(
      'in/a.csv',
      `${DEMO}2024-01-28 20:00:00,5,newcomer\n2024-01-28 23:00:00,5,newcomer\n`,
    );
    await importData(fixture, DatasetArn, 'in/');
    await expect(
      fixture.call('CreateAutoPredictor', {
        PredictorName: 'p',
        ForecastHorizon: 24,
        ForecastFrequency: 'H',
        DataConfig: { DatasetGroupArn },
      }),
    ).rejects.toMatchObject({
      code: 'InvalidInputException',
      message: expect.stringContaining(
        'Item newcomer has 4 values at frequency H, but a predictor with ForecastHorizon 24 needs at least 25 per item',
      ),
    });
  });

  it('rejects more than five forecast types', async () => {
    const { DatasetArn, DatasetGroupArn } = await createGroup(fixture);
    await fixture.put('in/a.csv', DEMO);
    await importData(fixture, DatasetArn, 'in/');
    await expect(
      fixture.call('CreateAutoPredictor', {
        PredictorName: 'p',
        ForecastHorizon: 24,
        ForecastFrequency: 'H',
        ForecastTypes: ['0.1', '0.2', '0.5', '0.8', '0.9', 'mean'],
        DataConfig: { DatasetGroupArn },
      }),
    ).rejects.toThrow('at most 5 forecast types');
  });

  it('rejects a predictor while its data is importing', async () => {
    const { DatasetArn, DatasetGroupArn } = await createGroup(fixture);
    await fixture.put('in/a.csv', DEMO);
    await fixture.call('CreateDatasetImportJob', {
      DatasetImportJobName: 'running',
      DatasetArn,
      DataSource: { S3Config: { Path: 's3://data/in/', RoleArn: ROLE } },
    });
    await expect(
      fixture.call('CreateAutoPredictor', {
        PredictorName: 'p',
        ForecastHorizon: 24,
        ForecastFrequency: 'H',
        DataConfig: { DatasetGroupArn },
      }),
    ).rejects.toMatchObject({ code: 'ResourceInUseException' });
    await fixture.service.whenIdle();
  });

  it('retrains from a reference predictor', async () => {
    const { PredictorArn } = await trainDemo(fixture);
    await expect(
      fixture.call('CreateAutoPredictor', {
        PredictorName: 'retrained',
        ReferencePredictorArn: PredictorArn,
        ForecastHorizon: 48,
      }),
    ).rejects.toThrow('remove ForecastHorizon');

    const retrain = await fixture.call('CreateAutoPredictor', {
      PredictorName: 'retrained',
      ReferencePredictorArn: PredictorArn,
    });
    await fixture.service.whenIdle();
    const described = await fixture.call('DescribeAutoPredictor', {
      PredictorArn: retrain.PredictorArn,
    });
    expect(described.Status).toBe('ACTIVE');
    expect(described.ForecastHorizon).toBe(24);
    expect(described.ReferencePredictorSummary).toEqual({
      Arn: PredictorArn,
      State: 'Active',
    });
  });

  it('exports the backtest in Forecast layout', async () => {
    const { PredictorArn } = await trainDemo(fixture);
    const { PredictorBacktestExportJobArn } = await fixture.call(
      'CreatePredictorBacktestExportJob',
      {
        PredictorBacktestExportJobName: 'backtest_1',
        PredictorArn,
        Destination: {
          S3Config: { Path: 's3://data/backtest-exports/run1', RoleArn: ROLE },
        },
      },
    );
    expect(PredictorBacktestExportJobArn).toBe(
      'arn:aws:forecast:us-east-1:000000000000:predictor-backtest-export-job/demand_predictor/backtest_1',
    );
    await fixture.service.whenIdle();
    const job = await fixture.call('DescribePredictorBacktestExportJob', {
      PredictorBacktestExportJobArn,
    });
    expect(job.Status).toBe('ACTIVE');

    const keys = (
      await fixture.objects.listObjects('data', 'backtest-exports/')
    ).map(o => o.key);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(
      /^backtest-exports\/run1\/accuracy-metrics-values\/backtest_1_\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ_part0\.csv$/,
    );
    expect(keys[1]).toMatch(
      /^backtest-exports\/run1\/forecasted-values\/backtest_1_.*_part0\.csv$/,
    );

    const values = (await fixture.objects.getObject('data', keys[1])).body
      .toString()
      .split('\r\n');
    expect(values[0]).toBe(
      'item_id,timestamp,target_value,backtestwindow_start_time,backtestwindow_end_time,p10,p50,p90',
    );
    expect(values[1]).toMatch(
      /^item_001,2024-01-28T00:00:00Z,[\d.]+,2024-01-28T00:00:00Z,2024-01-29T00:00:00Z,[\d.]+,[\d.]+,[\d.]+$/,
    );
    expect(values.filter(line => line !== '')).toHaveLength(1 + 3 * 24);

    const accuracy = (await fixture.objects.getObject('data', keys[0])).body
      .toString()
      .split('\r\n');
    expect(accuracy[0]).toBe(
      'item_id,backtest_window,backtestwindow_start_time,backtestwindow_end_time,wQL[0.1],wQL[0.5],wQL[0.9],Average wQL,RMSE,WAPE,MAPE,MASE',
    );
    expect(accuracy[1]).toMatch(/^item_001,Computed,2024-01-28T00:00:00Z,/);
    expect(accuracy[2]).toMatch(/^item_001,Summary,/);
  });

  it('creates and exports a forecast in Forecast layout', async () => {
    const { PredictorArn, DatasetGroupArn } = await trainDemo(fixture, {
      ForecastTypes: ['0.1', '0.5', '0.9', 'mean'],
    });
    const { ForecastArn } = await fixture.call('CreateForecast', {
      ForecastName: 'demand_forecast',
      PredictorArn,
    });
    await fixture.service.whenIdle();
    const forecast = await fixture.call('DescribeForecast', { ForecastArn });
    expect(forecast).toMatchObject({
      Status: 'ACTIVE',
      DatasetGroupArn,
      ForecastTypes: ['0.1', '0.5', '0.9', 'mean'],
    });

    const { ForecastExportJobArn } = await fixture.call(
      'CreateForecastExportJob',
      {
        ForecastExportJobName: 'export_1',
        ForecastArn,
        Destination: {
          S3Config: { Path: 's3://data/forecast-exports/run1/', RoleArn: ROLE },
        },
      },
    );
    expect(ForecastExportJobArn).toBe(
      'arn:aws:forecast:us-east-1:000000000000:forecast-export-job/demand_forecast/export_1',
    );
    await fixture.service.whenIdle();
    const [file] = await fixture.objects.listObjects(
      'data',
      'forecast-exports/',
    );
    expect(file.key).toMatch(
      /^forecast-exports\/run1\/export_1_\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ_part0\.csv$/,
    );
    const lines = (await fixture.objects.getObject('data', file.key)).body
      .toString()
      .split('\r\n')
      .filter(line => line !== '');
    expect(lines[0]).toBe('item_id,date,p10,p50,p90,mean');
    expect(lines).toHaveLength(1 + 3 * 24);
    expect(lines[1]).toMatch(/^item_001,2024-01-29T00:00:00Z,/);
    for (const line of lines.slice(1)) {
      const [p10, p50, p90] = line.split(',').slice(2).map(Number);
      expect(p10).toBeLessThanOrEqual(p50);
      expect(p50).toBeLessThanOrEqual(p90);
      expect(p10).toBeGreaterThanOrEqual(0);
    }
  });

  it('forecasts from data imported after training', async () => {
    const { PredictorArn, DatasetArn } = await trainDemo(fixture);
    const nextDay = generateDemoDataset({
      items: 3,
      days: 1,
      start: new Date(Date.UTC(2024, 0, 29)),
    });
    const newcomer = DEMO.split('\n')
      .filter(line => line.endsWith(',item_001'))
      .map(line => line.replace('item_001', 'item_new'))
      .join('\n');
    await fixture.put('more/next.csv', `${nextDay}${newcomer}\n`);
    const job = await importData(
      fixture,
      DatasetArn,
      'more/',
      { ImportMode: 'INCREMENTAL' },
      'import_2',
    );
    expect(job.Status).toBe('ACTIVE');

    const { ForecastArn } = await fixture.call('CreateForecast', {
      ForecastName: 'after_update',
      PredictorArn,
    });
    await fixture.service.whenIdle();
    await fixture.call('CreateForecastExportJob', {
      ForecastExportJobName: 'export_2',
      ForecastArn,
      Destination: { S3Config: { Path: 's3://data/updated/', RoleArn: ROLE } },
    });
    await fixture.service.whenIdle();
    const [file] = await fixture.objects.listObjects('data', 'updated/');
    const lines = (await fixture.objects.getObject('data', file.key)).body
      .toString()
      .split('\r\n')
      .filter(line => line !== '');
    expect(lines[1]).toMatch(/^item_001,2024-01-30T00:00:00Z,/);
    expect(lines.filter(line => line.startsWith('item_new,'))).toHaveLength(24);
    expect(lines).toHaveLength(1 + 4 * 24);
  });

  it('lists with filters and pages', async () => {
    const { DatasetArn } = await createGroup(fixture);
    await fixture.put('in/a.csv', '2024-01-01 00:00:00,1,a\n');
    await fixture.put('bad/a.csv', 'x,1,a\n');
    await importData(fixture, DatasetArn, 'in/', {}, 'good_1');
    await importData(fixture, DatasetArn, 'bad/', {}, 'bad_1');
    await importData(fixture, DatasetArn, 'in/', {}, 'good_2');

    const active = await fixture.call('ListDatasetImportJobs', {
      Filters: [{ Key: 'Status', Value: 'ACTIVE', Condition: 'IS' }],
    });
    expect(
      active.DatasetImportJobs.map(
        (job: { DatasetImportJobName: string }) => job.DatasetImportJobName,
      ),
    ).toEqual(['good_2', 'good_1']);

    const first = await fixture.call('ListDatasetImportJobs', {
      MaxResults: 2,
    });
    expect(first.DatasetImportJobs).toHaveLength(2);
    expect(first.NextToken).toEqual(expect.any(String));
    const second = await fixture.call('ListDatasetImportJobs', {
      MaxResults: 2,
      NextToken: first.NextToken,
    });
    expect(second.DatasetImportJobs).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();

    await expect(
      fixture.call('ListDatasetImportJobs', { NextToken: 'garbage' }),
    ).rejects.toMatchObject({ code: 'InvalidNextTokenException' });
    await expect(
      fixture.call('ListDatasetImportJobs', {
        Filters: [{ Key: 'PredictorArn', Value: 'x', Condition: 'IS' }],
      }),
    ).rejects.toThrow('this operation filters on DatasetArn, Status');
  });

  it('limits concurrent import jobs to three', async () => {
    await fixture.put('in/a.csv', DEMO);
    const arns = [];
    for (const name of ['one', 'two', 'three', 'four']) {
      const { DatasetArn } = await createGroup(fixture, name);
      arns.push(DatasetArn);
    }
    const start = (datasetArn: string, name: string) =>
      fixture.call('CreateDatasetImportJob', {
        DatasetImportJobName: name,
        DatasetArn: datasetArn,
        DataSource: { S3Config: { Path: 's3://data/in/', RoleArn: ROLE } },
      });
    await start(arns[0], 'job_1');
    await start(arns[1], 'job_2');
    await start(arns[2], 'job_3');
    await expect(start(arns[3], 'job_4')).rejects.toMatchObject({
      code: 'LimitExceededException',
      message: expect.stringContaining(
        'Only 3 dataset import jobs can run concurrently',
      ),
    });
    await fixture.service.whenIdle();
    await expect(start(arns[3], 'job_4')).resolves.toHaveProperty(
      'DatasetImportJobArn',
    );
    await fixture.service.whenIdle();
  });

  it('rejects unknown ARNs and deleting running jobs', async () => {
    await expect(
      fixture.call('CreateDatasetImportJob', {
        DatasetImportJobName: 'x',
        DatasetArn: 'arn:aws:forecast:us-east-1:000000000000:dataset/none',
        DataSource: { S3Config: { Path: 's3://data/in/', RoleArn: ROLE } },
      }),
    ).rejects.toMatchObject({
      code: 'ResourceNotFoundException',
      message: expect.stringContaining('dataset/none'),
    });

    const { DatasetArn } = await createGroup(fixture);
    await fixture.put('in/a.csv', DEMO);
    const { DatasetImportJobArn } = await fixture.call(
      'CreateDatasetImportJob',
      {
        DatasetImportJobName: 'running',
        DatasetArn,
        DataSource: { S3Config: { Path: 's3://data/in/', RoleArn: ROLE } },
      },
    );
    await expect(
      fixture.call('DeleteDatasetImportJob', { DatasetImportJobArn }),
    ).rejects.toMatchObject({ code: 'ResourceInUseException' });
    await expect(
      fixture.call('DeleteDataset', { DatasetArn }),
    ).rejects.toMatchObject({ code: 'ResourceInUseException' });
    await fixture.service.whenIdle();
    await fixture.call('DeleteDatasetImportJob', { DatasetImportJobArn });
    await fixture.call('DeleteDataset', { DatasetArn });
    await expect(
      fixture.call('DescribeDataset', { DatasetArn }),
    ).rejects.toMatchObject({ code: 'ResourceNotFoundException' });
  });

  it('tags resources', async () => {
    const { DatasetGroupArn } = await createGroup(fixture);
    await fixture.call('TagResource', {
      ResourceArn: DatasetGroupArn,
      Tags: [
        { Key: 'team', Value: 'demand' },
        { Key: 'stage', Value: 'dev' },
      ],
    });
    await fixture.call('UntagResource', {
      ResourceArn: DatasetGroupArn,
      TagKeys: ['stage'],
    });
    const { Tags } = await fixture.call('ListTagsForResource', {
      ResourceArn: DatasetGroupArn,
    });
    expect(Tags).toEqual([{ Key: 'team', Value: 'demand' }]);
    await expect(
      fixture.call('TagResource', {
        ResourceArn: DatasetGroupArn,
        Tags: [{ Key: 'aws:owner', Value: 'x' }],
      }),
    ).rejects.toThrow('reserved');
  });

  it('deletes a resource tree but keeps datasets', async () => {
    const { PredictorArn, DatasetGroupArn, DatasetArn } = await trainDemo(
      fixture,
    );
    const { ForecastArn } = await fixture.call('CreateForecast', {
      ForecastName: 'f',
      PredictorArn,
    });
    await fixture.service.whenIdle();

    await expect(
      fixture.call('DeleteDatasetGroup', { DatasetGroupArn }),
    ).rejects.toMatchObject({ code: 'ResourceInUseException' });
    await fixture.call('DeleteResourceTree', { ResourceArn: DatasetGroupArn });

    await expect(
      fixture.call('DescribeForecast', { ForecastArn }),
    ).rejects.toMatchObject({ code: 'ResourceNotFoundException' });
    await expect(
      fixture.call('DescribeAutoPredictor', { PredictorArn }),
    ).rejects.toMatchObject({ code: 'ResourceNotFoundException' });
    const dataset = await fixture.call('DescribeDataset', { DatasetArn });
    expect(dataset.DatasetArn).toBe(DatasetArn);
  });

  it('keeps state across a restart and fails unfinished jobs', async () => {
    const { DatasetArn, DatasetGroupArn } = await createGroup(fixture);
    await fixture.put('in/a.csv', DEMO);
    await importData(fixture, DatasetArn, 'in/');
    const { PredictorArn } = await fixture.call('CreateAutoPredictor', {
      PredictorName: 'p',
      ForecastHorizon: 24,
      ForecastFrequency: 'H',
      DataConfig: { DatasetGroupArn },
    });
    await fixture.restart();

    const group = await fixture.call('DescribeDatasetGroup', {
      DatasetGroupArn,
    });
    expect(group.DatasetArns).toEqual([DatasetArn]);
    const predictor = await fixture.call('DescribeAutoPredictor', {
      PredictorArn,
    });
    expect(predictor.Status).toBe('CREATE_FAILED');
    expect(predictor.Message).toContain('sandbox restarted');
  });

  it('creates explainability resources', async () => {
    const { PredictorArn } = await trainDemo(fixture);
    const { ExplainabilityArn } = await fixture.call('CreateExplainability', {
      ExplainabilityName: 'why',
      ResourceArn: PredictorArn,
      ExplainabilityConfig: {
        TimeSeriesGranularity: 'ALL',
        TimePointGranularity: 'ALL',
      },
    });
    await fixture.service.whenIdle();
    const described = await fixture.call('DescribeExplainability', {
      ExplainabilityArn,
    });
    expect(described.Status).toBe('ACTIVE');
    expect(described.ResourceArn).toBe(PredictorArn);
  });
});
