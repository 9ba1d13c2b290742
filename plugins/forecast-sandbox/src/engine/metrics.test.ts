import {
  mape,
  mase,
  naiveScale,
  rmse,
  wape,
  weightedQuantileLoss,
  windowMetrics,
  type ScoredSeries,
} from './metrics';

// Two points, hand-computed: Σ|y| = 30.
const series: ScoredSeries[] = [
  {
    actual: [10, 20],
    forecasts: {
      '0.1': [8, 15],
      '0.5': [12, 18],
      '0.9': [15, 25],
      mean: [11, 19],
    },
    naiveScale: 4,
  },
];

describe('accuracy metrics', () => {
  it('computes wQL with the factor 2 over the sum of actuals', () => {
    // 2·(0.5·2 + 0.5·2) / 30
    expect(weightedQuantileLoss(series, '0.5')).toBeCloseTo(4 / 30, 10);
    // 2·(0.1·2 + 0.1·5) / 30
    expect(weightedQuantileLoss(series, '0.1')).toBeCloseTo(1.4 / 30, 10);
    // 2·(0.1·5 + 0.1·5) / 30
    expect(weightedQuantileLoss(series, '0.9')).toBeCloseTo(2 / 30, 10);
  });

  it('makes wQL[0.5] equal the WAPE of the median', () => {
    expect(weightedQuantileLoss(series, '0.5')).toBeCloseTo(
      wape(series, '0.5'),
      12,
    );
  });

  it('returns the unweighted loss when actuals sum to zero', () => {
    const zero = [{ actual: [0, 0], forecasts: { '0.5': [1, -1] } }];
    expect(weightedQuantileLoss(zero, '0.5')).toBeCloseTo(2, 10);
  });

  it('computes WAPE, RMSE, MAPE and MASE of the mean', () => {
    expect(wape(series, 'mean')).toBeCloseTo(2 / 30, 10);
    expect(rmse(series, 'mean')).toBeCloseTo(1, 10);
    expect(mape(series, 'mean')).toBeCloseTo((1 / 10 + 1 / 20) / 2, 10);
    expect(mase(series, 'mean')).toBeCloseTo(1 / 4, 10);
  });

  it('skips zero actuals in MAPE', () => {
    const withZero = [{ actual: [0, 4], forecasts: { mean: [1, 3] } }];
    expect(mape(withZero, 'mean')).toBeCloseTo(0.25, 10);
  });

  it('computes the MASE scale from seasonal differences', () => {
    expect(naiveScale([0, 4, 8], 1)).toBe(4);
    expect(naiveScale([1, 2, 3, 5, 6, 9], 3)).toBeCloseTo((4 + 4 + 6) / 3, 10);
  });

  it('builds the GetAccuracyMetrics shape', () => {
    const metrics = windowMetrics(series, ['0.1', '0.5', '0.9']);
    expect(metrics.WeightedQuantileLosses.map(l => l.Quantile)).toEqual([
      0.9, 0.5, 0.1,
    ]);
    expect(metrics.RMSE).toBeCloseTo(1, 10);
    expect(metrics.AverageWeightedQuantileLoss).toBeCloseTo(
      (4 / 30 + 1.4 / 30 + 2 / 30) / 3,
      10,
    );
    expect(metrics.ErrorMetrics.map(e => e.ForecastType)).toEqual([
      '0.1',
      '0.5',
      '0.9',
    ]);
    expect(metrics.ErrorMetrics[1].WAPE).toBeCloseTo(4 / 30, 10);
    expect(metrics.ErrorMetrics[1].RMSE).toBeCloseTo(2, 10);
  });
});
