import fs from 'node:fs';
import {
  createFixture,
  createGroup,
  importData,
  ROLE,
  type ForecastFixture,
} from './__testUtils__/fixture';

const SAMPLE =
  '/work/shared/data/forecast-samples/electricity-hourly-3-clients.csv';

/**
 * Amazon Forecast's published backtest on item client_12 (horizon 72,
 * window 2014-10-29 00:00 to 2014-11-01 00:00), from the executed notebook
 * workshops/immersion_day/notebooks/completed/Train_Evaluate_Predictors.ipynb
 * in aws-samples/amazon-forecast-samples.
 */
const PUBLISHED = {
  ARIMA: { RMSE: 21.71, 0.1: 0.1063, 0.5: 0.1556, 0.9: 0.0561 },
  Prophet: { RMSE: 19.7, 0.1: 0.0529, 0.5: 0.1649, 0.9: 0.0681 },
};

const describeWithSample = fs.existsSync(SAMPLE) ? describe : describe.skip;

describeWithSample('AutoPredictor accuracy on the public sample', () => {
  let fixture: ForecastFixture;

  beforeAll(async () => {
    fixture = await createFixture();
  });

  afterAll(() => fixture.close());

  it('beats the published ARIMA and Prophet figures on client_12', async () => {
    const rows = fs
      .readFileSync(SAMPLE, 'utf8')
      .split('\n')
      .filter(
        line => line.endsWith(',client_12') && line < '2014-11-01 00:00:00',
      );
    await fixture.put('electricity/client_12.csv', `${rows.join('\n')}\n`);
    const { DatasetArn, DatasetGroupArn } = await createGroup(fixture);
    const job = await importData(fixture, DatasetArn, 'electricity/');
    expect(job.Status).toBe('ACTIVE');

    const { PredictorArn } = await fixture.call('CreateAutoPredictor', {
      PredictorName: 'electricity',
      ForecastHorizon: 72,
      ForecastFrequency: 'H',
      DataConfig: { DatasetGroupArn },
    });
    await fixture.service.whenIdle();
    const metrics = await fixture.call('GetAccuracyMetrics', { PredictorArn });
    const window = metrics.PredictorEvaluationResults[0].TestWindows[1];
    expect(window.TestWindowStart).toBe(Date.UTC(2014, 9, 29) / 1000);
    expect(window.TestWindowEnd).toBe(Date.UTC(2014, 10, 1) / 1000);

    const loss = (quantile: number) =>
      window.Metrics.WeightedQuantileLosses.find(
        (entry: { Quantile: number }) => entry.Quantile === quantile,
      ).LossValue;
    for (const published of Object.values(PUBLISHED)) {
      expect(window.Metrics.RMSE).toBeLessThan(published.RMSE);
      expect(loss(0.1)).toBeLessThan(published[0.1]);
      expect(loss(0.5)).toBeLessThan(published[0.5]);
      expect(loss(0.9)).toBeLessThan(published[0.9]);
    }
  });
});

const MONTHLY =
  '/work/shared/data/forecast-samples/consumer-electronics-monthly';
const describeWithMonthly = fs.existsSync(`${MONTHLY}-tts.csv`)
  ? describe
  : describe.skip;

describeWithMonthly('AutoPredictor on the monthly retail sample', () => {
  let fixture: ForecastFixture;

  beforeAll(async () => {
    fixture = await createFixture();
  });

  afterAll(() => fixture.close());

  /** Reads the header and the rows of the first five items of a sample file. */
  function firstItems(file: string): string {
    const [header, ...rows] = fs.readFileSync(file, 'utf8').split('\n');
    const kept = rows.filter(row => /^item_00[1-5],/.test(row));
    return `${header}\n${kept.join('\n')}\n`;
  }

  it('forecasts per store with prices as related data', async () => {
    const attributes = (value: string) => [
      { AttributeName: 'item_id', AttributeType: 'string' },
      { AttributeName: 'store_id', AttributeType: 'string' },
      { AttributeName: 'timestamp', AttributeType: 'timestamp' },
      { AttributeName: value, AttributeType: 'float' },
    ];
    const { DatasetArn } = await fixture.call('CreateDataset', {
      DatasetName: 'retail_target',
      Domain: 'RETAIL',
      DatasetType: 'TARGET_TIME_SERIES',
      DataFrequency: 'M',
      Schema: { Attributes: attributes('demand') },
    });
    const { DatasetArn: relatedArn } = await fixture.call('CreateDataset', {
      DatasetName: 'retail_related',
      Domain: 'RETAIL',
      DatasetType: 'RELATED_TIME_SERIES',
      DataFrequency: 'M',
      Schema: { Attributes: attributes('price') },
    });
    const { DatasetGroupArn } = await fixture.call('CreateDatasetGroup', {
      DatasetGroupName: 'retail',
      Domain: 'RETAIL',
      DatasetArns: [DatasetArn, relatedArn],
    });
    await fixture.put(
      'retail/target/tts.csv',
      firstItems(`${MONTHLY}-tts.csv`),
    );
    await fixture.put(
      'retail/related/rts.csv',
      firstItems(`${MONTHLY}-rts.csv`),
    );
    const format = { TimestampFormat: 'yyyy-MM-dd' };
    const target = await importData(
      fixture,
      DatasetArn,
      'retail/target/',
      format,
    );
    expect(target.Status).toBe('ACTIVE');
    expect(target.FieldStatistics.store_id.CountDistinct).toBe(5);
    const related = await importData(
      fixture,
      relatedArn,
      'retail/related/',
      format,
    );
    expect(related.Status).toBe('ACTIVE');

    const { PredictorArn } = await fixture.call('CreateAutoPredictor', {
      PredictorName: 'retail',
      ForecastHorizon: 3,
      ForecastFrequency: 'M',
      ForecastDimensions: ['store_id'],
      OptimizationMetric: 'WAPE',
      DataConfig: { DatasetGroupArn },
    });
    await fixture.service.whenIdle();
    const metrics = await fixture.call('GetAccuracyMetrics', { PredictorArn });
    const window = metrics.PredictorEvaluationResults[0].TestWindows[1];
    expect(window.ItemCount).toBe(25);
    expect(window.TestWindowStart).toBe(Date.UTC(2019, 6, 1) / 1000);
    expect(window.Metrics.ErrorMetrics[0].WAPE).toBeLessThan(0.3);

    const { ForecastArn } = await fixture.call('CreateForecast', {
      ForecastName: 'retail',
      PredictorArn,
    });
    await fixture.service.whenIdle();
    await fixture.call('CreateForecastExportJob', {
      ForecastExportJobName: 'retail',
      ForecastArn,
      Destination: { S3Config: { Path: 's3://data/out/', RoleArn: ROLE } },
    });
    await fixture.service.whenIdle();
    const [file] = await fixture.objects.listObjects('data', 'out/');
    const lines = (await fixture.objects.getObject('data', file.key)).body
      .toString()
      .split('\r\n');
    expect(lines[0]).toBe('item_id,store_id,date,p10,p50,p90');
    expect(lines.slice(1, 4).map(line => line.split(',').slice(0, 3))).toEqual([
      ['item_001', 'store_001', '2019-10-01T00:00:00Z'],
      ['item_001', 'store_001', '2019-11-01T00:00:00Z'],
      ['item_001', 'store_001', '2019-12-01T00:00:00Z'],
    ]);
    expect(lines.filter(line => line !== '')).toHaveLength(1 + 25 * 3);
  });
});
