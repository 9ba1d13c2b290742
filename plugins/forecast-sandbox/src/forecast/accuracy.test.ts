import fs from 'node:fs';
import {
  createFixture,
  createGroup,
  importData,
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
