import { forecastTypes, sortedQuantile, trainSeries } from './autoModel';
import { isSane, leastSquares, MODELS } from './models';

/** Hourly series with a daily cycle, a weekday/weekend level and noise. */
function hourly(days: number, noise = 0): Float64Array {
  let state = 1;
  const random = () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647 - 0.5;
  };
  return Float64Array.from({ length: days * 24 }, (_, t) => {
    const weekend = Math.floor(t / 24) % 7 >= 5 ? 0.7 : 1;
    return (
      weekend * (100 + 40 * Math.sin((2 * Math.PI * t) / 24)) + noise * random()
    );
  });
}

describe('trainSeries', () => {
  it('forecasts a clean seasonal series almost exactly', () => {
    const y = hourly(42);
    const result = trainSeries({
      values: y.subarray(0, 41 * 24),
      periods: [24, 168],
      horizon: 24,
      metric: 'RMSE',
    });
    const actual = y.subarray(41 * 24);
    const worst = Math.max(
      ...Array.from(actual, (value, i) =>
        Math.abs(value - result.future.mean[i]),
      ),
    );
    expect(worst).toBeLessThan(1);
    expect(result.backtest?.mean).toHaveLength(24);
  });

  it('gives monotone non-negative quantiles', () => {
    const result = trainSeries({
      values: hourly(35, 30),
      periods: [24, 168],
      horizon: 48,
      metric: 'AverageWeightedQuantileLoss',
    });
    const types = forecastTypes(
      result.future,
      ['0.9', '0.1', '0.5', 'mean'],
      true,
    );
    for (let i = 0; i < 48; i++) {
      expect(types['0.1'][i]).toBeGreaterThanOrEqual(0);
      expect(types['0.1'][i]).toBeLessThanOrEqual(types['0.5'][i]);
      expect(types['0.5'][i]).toBeLessThanOrEqual(types['0.9'][i]);
    }
    expect(types['0.9'][0]).toBeGreaterThan(types['0.1'][0]);
  });

  it('forecasts short series without a validation window', () => {
    const result = trainSeries({
      values: Float64Array.from([5, 6, 5, 7, 6]),
      periods: [24, 168],
      horizon: 3,
      metric: 'WAPE',
    });
    expect(result.models).toEqual(['npts', 'theta']);
    expect(result.future.mean.every(Number.isFinite)).toBe(true);
  });
});

describe('models', () => {
  it('returns finite forecasts from every model', () => {
    const y = hourly(28, 10);
    const price = Float64Array.from({ length: y.length + 24 }, (_, t) =>
      Math.floor(t / 20) % 2 ? 9 : 11,
    );
    for (const [name, model] of Object.entries(MODELS)) {
      const forecast = model(y, [24, 168], 24, [price]);
      expect({ name, sane: forecast && isSane(forecast, y) }).toEqual({
        name,
        sane: true,
      });
    }
  });

  it('solves least squares exactly on clean data', () => {
    const rows = [
      [1, 0],
      [1, 1],
      [1, 2],
      [1, 3],
    ];
    const coefficients = leastSquares(rows, [1, 3, 5, 7])!;
    expect(coefficients[0]).toBeCloseTo(1, 6);
    expect(coefficients[1]).toBeCloseTo(2, 6);
    // A feature that never varies gets a zero coefficient.
    expect(leastSquares([[0], [0]], [1, 2])).toEqual([0]);
  });

  it('rejects diverging forecasts', () => {
    const y = Float64Array.from([1, 2, 3, 4]);
    expect(isSane([1e192], y)).toBe(false);
    expect(isSane([NaN], y)).toBe(false);
    expect(isSane([5], y)).toBe(true);
  });

  it('interpolates quantiles of sorted errors', () => {
    const errors = Float64Array.from([-2, 0, 2, 4]);
    expect(sortedQuantile(errors, 0)).toBe(-2);
    expect(sortedQuantile(errors, 0.5)).toBe(1);
    expect(sortedQuantile(errors, 1)).toBe(4);
  });
});
