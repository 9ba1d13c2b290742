/* eslint-disable no-console */
/**
 * Accuracy of the sandbox AutoPredictor against Amazon Forecast's published
 * backtest on the public electricity sample (item client_12, hourly,
 * horizon 72, window 2014-10-29 00:00 to 2014-11-01 00:00).
 *
 * Run from the package folder:
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/accuracy.ts [sample.csv]
 */
import fs from 'node:fs';
import {
  createFixture,
  createGroup,
  importData,
} from '../src/forecast/__testUtils__/fixture';

const SAMPLE =
  process.argv[2] ??
  '/work/shared/data/forecast-samples/electricity-hourly-3-clients.csv';

// From the executed notebook workshops/immersion_day/notebooks/completed/
// Train_Evaluate_Predictors.ipynb in aws-samples/amazon-forecast-samples.
const PUBLISHED: Record<string, number[]> = {
  ARIMA: [21.71, 0.1063, 0.1556, 0.0561],
  Prophet: [19.7, 0.0529, 0.1649, 0.0681],
  'DeepAR+': [8.68, 0.0318, 0.0647, 0.0311],
};

async function scoreItem(
  item: string,
  metric: string,
  end = '2014-11-01 00:00:00',
): Promise<number[]> {
  const fixture = await createFixture();
  try {
    const rows = fs
      .readFileSync(SAMPLE, 'utf8')
      .split('\n')
      .filter(line => line.endsWith(`,${item}`) && line < end);
    await fixture.put('electricity/data.csv', `${rows.join('\n')}\n`);
    const { DatasetArn, DatasetGroupArn } = await createGroup(fixture);
    await importData(fixture, DatasetArn, 'electricity/');
    const started = Date.now();
    const { PredictorArn } = await fixture.call('CreateAutoPredictor', {
      PredictorName: 'electricity',
      ForecastHorizon: 72,
      ForecastFrequency: 'H',
      OptimizationMetric: metric,
      DataConfig: { DatasetGroupArn },
    });
    await fixture.service.whenIdle();
    const elapsed = Date.now() - started;
    const result = await fixture.call('GetAccuracyMetrics', { PredictorArn });
    const metrics = result.PredictorEvaluationResults[0].TestWindows[0].Metrics;
    const loss = (q: number) =>
      metrics.WeightedQuantileLosses.find(
        (entry: { Quantile: number }) => entry.Quantile === q,
      ).LossValue;
    return [metrics.RMSE, loss(0.1), loss(0.5), loss(0.9), elapsed];
  } finally {
    await fixture.close();
  }
}

function row(name: string, values: number[]): string {
  const [rmse, ...losses] = values;
  return `| ${name.padEnd(34)} | ${rmse.toFixed(2).padStart(6)} | ${losses
    .slice(0, 3)
    .map(v => v.toFixed(4))
    .join(' | ')} |`;
}

async function main() {
  if (!fs.existsSync(SAMPLE)) {
    console.log(`Sample file ${SAMPLE} not found; nothing to measure.`);
    return;
  }
  console.log('client_12, horizon 72, backtest 2014-10-29 to 2014-11-01');
  console.log('| predictor | RMSE | wQL[0.1] | wQL[0.5] | wQL[0.9] |');
  console.log('|---|---|---|---|---|');
  for (const [name, values] of Object.entries(PUBLISHED)) {
    console.log(row(`Amazon Forecast ${name} (published)`, values));
  }
  const sandbox = await scoreItem('client_12', 'AverageWeightedQuantileLoss');
  console.log(row('sandbox AutoPredictor', sandbox));
  const rmseOptimized = await scoreItem('client_12', 'RMSE');
  console.log(row('sandbox AutoPredictor, RMSE metric', rmseOptimized));

  const targets = ['ARIMA', 'Prophet'].every(name =>
    PUBLISHED[name].every((value, i) => sandbox[i] < value),
  );
  console.log(
    `\nBetter than ARIMA and Prophet on every figure: ${
      targets ? 'yes' : 'NO'
    }`,
  );
  console.log(
    `Better than DeepAR+ on: ${
      ['RMSE', 'wQL[0.1]', 'wQL[0.5]', 'wQL[0.9]']
        .filter((_, i) => sandbox[i] < PUBLISHED['DeepAR+'][i])
        .join(', ') || 'none'
    }`,
  );
  console.log(`Training time: ${sandbox[4]} ms`);

  console.log('\nOther items, same window (no published figures):');
  for (const item of ['client_10', 'client_111']) {
    console.log(
      row(item, await scoreItem(item, 'AverageWeightedQuantileLoss')),
    );
  }

  console.log('\nEarlier 72-hour windows (data up to the given day):');
  for (const end of ['2014-10-10', '2014-10-15', '2014-10-20']) {
    for (const item of ['client_10', 'client_111', 'client_12']) {
      const scores = await scoreItem(
        item,
        'AverageWeightedQuantileLoss',
        `${end} 00:00:00`,
      );
      console.log(row(`${item} to ${end}`, scores));
    }
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
