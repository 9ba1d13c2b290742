import {
  createFixture,
  createGroup,
  importData,
  type ForecastFixture,
} from './__testUtils__/fixture';

const HOURS = 28 * 24;
const FUTURE = 24;

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function timestamp(hour: number): string {
  const d = new Date(Date.UTC(2024, 0, 1) + hour * 3_600_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(
    d.getUTCDate(),
  )} ${pad(d.getUTCHours())}:00:00`;
}

/** Price changes every 20 hours, so demand is not seasonal without it. */
function price(item: number, hour: number): number {
  return [8, 12, 10][(Math.floor(hour / 20) + item) % 3];
}

function demand(item: number, hour: number): number {
  const daily = 20 * Math.sin((2 * Math.PI * hour) / 24);
  return 200 + 10 * item + daily - 6 * price(item, hour);
}

async function trainAndScore(
  fixture: ForecastFixture,
  name: string,
  withRelated: boolean,
): Promise<number> {
  const { DatasetArn, DatasetGroupArn } = await createGroup(fixture, name);
  const target: string[] = [];
  const related: string[] = [];
  for (let item = 0; item < 3; item++) {
    for (let hour = 0; hour < HOURS + FUTURE; hour++) {
      if (hour < HOURS) {
        target.push(`${timestamp(hour)},${demand(item, hour)},item_${item}`);
      }
      related.push(`${timestamp(hour)},item_${item},${price(item, hour)}`);
    }
  }
  await fixture.put(`${name}/target/data.csv`, target.join('\n'));
  await importData(fixture, DatasetArn, `${name}/target/`);

  if (withRelated) {
    const { DatasetArn: relatedArn } = await fixture.call('CreateDataset', {
      DatasetName: `${name}_related`,
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
    await fixture.put(`${name}/related/prices.csv`, related.join('\n'));
    const job = await importData(fixture, relatedArn, `${name}/related/`);
    expect(job.Status).toBe('ACTIVE');
    await fixture.call('UpdateDatasetGroup', {
      DatasetGroupArn,
      DatasetArns: [DatasetArn, relatedArn],
    });
  }

  const { PredictorArn } = await fixture.call('CreateAutoPredictor', {
    PredictorName: name,
    ForecastHorizon: 24,
    ForecastFrequency: 'H',
    OptimizationMetric: 'WAPE',
    DataConfig: { DatasetGroupArn },
  });
  await fixture.service.whenIdle();
  const metrics = await fixture.call('GetAccuracyMetrics', { PredictorArn });
  const summary = metrics.PredictorEvaluationResults[0].TestWindows[0];
  return summary.Metrics.ErrorMetrics.find(
    (entry: { ForecastType: string }) => entry.ForecastType === '0.5',
  ).WAPE;
}

describe('related time series', () => {
  let fixture: ForecastFixture;

  beforeEach(async () => {
    fixture = await createFixture();
  });

  afterEach(() => fixture.close());

  it('improves a forecast driven by price', async () => {
    const without = await trainAndScore(fixture, 'plain', false);
    const withPrices = await trainAndScore(fixture, 'priced', true);
    expect(withPrices).toBeLessThan(0.01);
    expect(withPrices).toBeLessThan(without / 2);
  });
});
