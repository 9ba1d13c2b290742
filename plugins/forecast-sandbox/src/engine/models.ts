/**
 * Point forecasting models. Each takes a complete series (no NaN), its
 * seasonal periods (shortest first, possibly empty) and a horizon, and
 * returns `horizon` point forecasts, or undefined when it cannot fit the
 * series. Callers check every output with {@link isSane}.
 */
import { fitArima } from './arimaModel';

/**
 * A model's point forecast function. `related` features, when given, are
 * `y.length + horizon` long: aligned with `y`, then the forecast steps.
 */
export type PointModel = (
  y: Float64Array,
  periods: number[],
  horizon: number,
  related?: Float64Array[],
) => Float64Array | undefined;

/** Returns the longest period with at least `cycles` full cycles of history. */
export function usablePeriod(
  n: number,
  periods: number[],
  cycles: number,
): number | undefined {
  return [...periods].reverse().find(m => n >= m * cycles);
}

/** Repeats the last season; the last value when there is no full season. */
export function seasonalNaive(
  y: Float64Array,
  m: number | undefined,
  horizon: number,
): Float64Array {
  const n = y.length;
  const out = new Float64Array(horizon);
  for (let i = 0; i < horizon; i++) {
    out[i] = m && n >= m ? y[n - m + (i % m)] : y[n - 1];
  }
  return out;
}

/**
 * Non-parametric time series forecaster (NPTS, as in Amazon Forecast): the
 * forecast for a future point is drawn from past values of the same seasonal
 * phase, weighted by exp(−λ·age) with age counted in seasons and λ = 1. The
 * point forecast is the mean of that distribution. Without a season every
 * past value is a candidate, aged in steps with λ scaled to the history.
 */
export function npts(
  y: Float64Array,
  periods: number[],
  horizon: number,
): Float64Array {
  const n = y.length;
  const m = usablePeriod(n, periods, 2);
  const out = new Float64Array(horizon);
  if (!m) {
    const lambda = 1 / Math.max(1, Math.min(n, 32));
    let total = 0;
    let weights = 0;
    for (let t = n - 1; t >= 0 && n - 1 - t < 256; t--) {
      const w = Math.exp(-lambda * (n - 1 - t));
      total += w * y[t];
      weights += w;
    }
    return out.fill(total / weights);
  }
  for (let i = 0; i < horizon; i++) {
    let total = 0;
    let weights = 0;
    let age = 0;
    for (let t = n - m + (i % m); t >= 0 && age < 12; t -= m, age++) {
      const w = Math.exp(-age);
      total += w * y[t];
      weights += w;
    }
    out[i] = total / weights;
  }
  return out;
}

/** Mean of the same phase over the last four seasons. */
export function seasonalMean(
  y: Float64Array,
  periods: number[],
  horizon: number,
): Float64Array | undefined {
  const m = usablePeriod(y.length, periods, 2);
  if (!m) {
    return undefined;
  }
  const n = y.length;
  const out = new Float64Array(horizon);
  for (let i = 0; i < horizon; i++) {
    let total = 0;
    let count = 0;
    for (let t = n - m + (i % m); t >= 0 && count < 4; t -= m) {
      total += y[t];
      count++;
    }
    out[i] = total / count;
  }
  return out;
}

/**
 * Forecasts the upper median (the third of four values) of the same phase
 * over the last four seasons. The profile is scaled halfway towards the
 * level of the last day (the shortest season) relative to it, so that a
 * recent shift in level carries into the forecast.
 */
export function adjustedProfile(
  y: Float64Array,
  periods: number[],
  horizon: number,
): Float64Array | undefined {
  const m = usablePeriod(y.length, periods, 3);
  if (!m) {
    return undefined;
  }
  const n = y.length;
  const cycles = Math.min(4, Math.floor(n / m));
  const profile = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const values = [];
    for (let k = 1; k <= cycles; k++) {
      values.push(y[n - k * m + j]);
    }
    values.sort((a, b) => a - b);
    profile[j] = values[Math.floor(values.length / 2)];
  }

  const recent = Math.min(periods[0] ?? m, m);
  let actual = 0;
  let expected = 0;
  for (let t = n - recent; t < n; t++) {
    actual += y[t];
    expected += profile[t - (n - m)];
  }
  const ratio = expected > 0 && actual > 0 ? actual / expected : 1;
  const scale = 1 + 0.5 * (ratio - 1);

  const out = new Float64Array(horizon);
  for (let i = 0; i < horizon; i++) {
    out[i] = profile[i % m] * scale;
  }
  return out;
}

/** Additive seasonal indices of period m from the last cycles of y. */
function seasonalIndices(y: Float64Array, m: number): Float64Array {
  const n = y.length;
  const cycles = Math.min(Math.floor(n / m), 8);
  const start = n - cycles * m;
  const indices = new Float64Array(m);
  for (let c = 0; c < cycles; c++) {
    let mean = 0;
    for (let j = 0; j < m; j++) {
      mean += y[start + c * m + j];
    }
    mean /= m;
    for (let j = 0; j < m; j++) {
      indices[j] += (y[start + c * m + j] - mean) / cycles;
    }
  }
  // indices[j] is the phase of time start + j, which is (n - cycles*m + j).
  return indices;
}

/** Returns the seasonal phase of time t for indices from seasonalIndices. */
function phaseOf(t: number, n: number, m: number): number {
  const cyclesStart = n - Math.floor(n / m) * m;
  return (((t - cyclesStart) % m) + m) % m;
}

interface HoltWintersState {
  sse: number;
  forecast: Float64Array;
}

function runHoltWinters(
  y: Float64Array,
  m: number,
  horizon: number,
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
): HoltWintersState {
  const n = y.length;
  const season = new Float64Array(m);
  let level = 0;
  for (let j = 0; j < m; j++) {
    level += y[j] / m;
  }
  for (let j = 0; j < m; j++) {
    season[j] = y[j] - level;
  }
  let trend = 0;
  if (n >= 2 * m) {
    let second = 0;
    for (let j = m; j < 2 * m; j++) {
      second += y[j] / m;
    }
    trend = (second - level) / m;
  }

  let sse = 0;
  for (let t = m; t < n; t++) {
    const s = season[t % m];
    const predicted = level + phi * trend + s;
    const error = y[t] - predicted;
    sse += error * error;
    const previousLevel = level;
    level = alpha * (y[t] - s) + (1 - alpha) * (level + phi * trend);
    trend = beta * (level - previousLevel) + (1 - beta) * phi * trend;
    season[t % m] = gamma * (y[t] - level) + (1 - gamma) * s;
  }

  const forecast = new Float64Array(horizon);
  let damped = 0;
  for (let i = 0; i < horizon; i++) {
    damped += phi ** (i + 1);
    forecast[i] = level + damped * trend + season[(n + i) % m];
  }
  return { sse, forecast };
}

/**
 * Exponential smoothing with additive damped trend and additive seasonality
 * (Holt-Winters), with smoothing parameters picked on a small grid by the
 * one-step-ahead squared error.
 */
export function exponentialSmoothing(
  y: Float64Array,
  periods: number[],
  horizon: number,
): Float64Array | undefined {
  const m = usablePeriod(y.length, periods, 3) ?? 1;
  if (y.length < 2 * m + 2) {
    return undefined;
  }
  let best: HoltWintersState | undefined;
  for (const alpha of [0.05, 0.2, 0.5, 0.8]) {
    for (const beta of [0, 0.02]) {
      for (const gamma of m > 1 ? [0.05, 0.2, 0.5] : [0]) {
        const state = runHoltWinters(y, m, horizon, alpha, beta, gamma, 0.9);
        if (!best || state.sse < best.sse) {
          best = state;
        }
      }
    }
  }
  return best?.forecast;
}

/**
 * The Theta method (Assimakopoulos and Nikolopoulos, 2000) in its
 * SES-with-drift form (Hyndman and Billah, 2003): remove the seasonal
 * indices, forecast by simple exponential smoothing plus half the slope of
 * the linear trend, then add the seasonal indices back.
 */
export function theta(
  y: Float64Array,
  periods: number[],
  horizon: number,
): Float64Array | undefined {
  const n = y.length;
  if (n < 4) {
    return undefined;
  }
  const m = usablePeriod(n, periods, 2);
  const indices = m ? seasonalIndices(y, m) : undefined;
  const adjusted = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    adjusted[t] = indices ? y[t] - indices[phaseOf(t, n, m!)] : y[t];
  }

  let sumT = 0;
  let sumY = 0;
  let sumTT = 0;
  let sumTY = 0;
  for (let t = 0; t < n; t++) {
    sumT += t;
    sumY += adjusted[t];
    sumTT += t * t;
    sumTY += t * adjusted[t];
  }
  const slope = (n * sumTY - sumT * sumY) / (n * sumTT - sumT * sumT);

  let bestLevel = adjusted[n - 1];
  let bestAlpha = 0.5;
  let bestSse = Infinity;
  for (const alpha of [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9]) {
    let level = adjusted[0];
    let sse = 0;
    for (let t = 1; t < n; t++) {
      const error = adjusted[t] - level;
      sse += error * error;
      level += alpha * error;
    }
    if (sse < bestSse) {
      bestSse = sse;
      bestLevel = level;
      bestAlpha = alpha;
    }
  }

  const out = new Float64Array(horizon);
  for (let i = 0; i < horizon; i++) {
    const drift =
      0.5 * slope * (i + 1 / bestAlpha - (1 - bestAlpha) ** n / bestAlpha);
    const season = indices ? indices[phaseOf(n + i, n, m!)] : 0;
    out[i] = bestLevel + drift + season;
  }
  return out;
}

/**
 * ARIMA on the seasonally differenced series: y[t] − y[t−m] is modelled by
 * a small ARIMA(2,0,1) on recent history, and the forecasts are integrated
 * back. Fitting the package's seasonal search directly is too slow for
 * hourly data and a fixed seasonal order can diverge.
 */
export function seasonalDifferenceArima(
  y: Float64Array,
  periods: number[],
  horizon: number,
): Float64Array | undefined {
  const n = y.length;
  const m = usablePeriod(n, periods, 3) ?? usablePeriod(n, periods, 2);
  const lag = m ?? 1;
  const length = Math.min(n - lag, Math.max(4 * lag, 600));
  if (length < 12) {
    return undefined;
  }
  const differenced = new Array<number>(length);
  for (let k = 0; k < length; k++) {
    const t = n - length + k;
    differenced[k] = y[t] - y[t - lag];
  }
  const predicted = fitArima(differenced, horizon);
  if (!predicted) {
    return undefined;
  }
  const out = new Float64Array(horizon);
  for (let i = 0; i < horizon; i++) {
    const base = i < lag ? y[n - lag + i] : out[i - lag];
    out[i] = base + predicted[i];
  }
  return out;
}

/**
 * Solves the least-squares problem min |X·b − y|² with a small ridge term
 * for stability, by Gaussian elimination on the normal equations, so a
 * feature that never varies gets a zero coefficient. Returns undefined when
 * the system is still singular (for example with non-finite values).
 */
export function leastSquares(
  rows: number[][],
  y: number[],
): number[] | undefined {
  const k = rows[0]?.length ?? 0;
  const a = Array.from({ length: k }, () => new Array<number>(k + 1).fill(0));
  rows.forEach((row, r) => {
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        a[i][j] += row[i] * row[j];
      }
      a[i][k] += row[i] * y[r];
    }
  });
  for (let i = 0; i < k; i++) {
    a[i][i] += 1e-9 * (1 + a[i][i]);
  }
  for (let column = 0; column < k; column++) {
    let pivot = column;
    for (let r = column + 1; r < k; r++) {
      if (Math.abs(a[r][column]) > Math.abs(a[pivot][column])) {
        pivot = r;
      }
    }
    if (!(Math.abs(a[pivot][column]) >= 1e-12)) {
      return undefined;
    }
    [a[column], a[pivot]] = [a[pivot], a[column]];
    for (let r = 0; r < k; r++) {
      if (r !== column) {
        const factor = a[r][column] / a[column][column];
        for (let j = column; j <= k; j++) {
          a[r][j] -= factor * a[column][j];
        }
      }
    }
  }
  return a.map((row, i) => row[k] / row[i]);
}

/**
 * Regression on the related time series with ARIMA errors, on the
 * seasonally differenced series: y[t] − y[t−m] is fitted by least squares
 * on an intercept and x[t] − x[t−m] for every feature, and ARIMA(2,0,1)
 * models the remaining errors. Only tried when the series has related
 * features. The `arima` package's own regressors (SARIMAX) reject step-like
 * features such as prices as collinear, hence the two stages.
 */
export function seasonalDifferenceRegression(
  y: Float64Array,
  periods: number[],
  horizon: number,
  related?: Float64Array[],
): Float64Array | undefined {
  if (!related || related.length === 0) {
    return undefined;
  }
  const n = y.length;
  const m = usablePeriod(n, periods, 3) ?? usablePeriod(n, periods, 2);
  const lag = m ?? 1;
  const length = Math.min(n - lag, Math.max(4 * lag, 600));
  if (length < 12) {
    return undefined;
  }
  const changes = (t: number) => [
    1,
    ...related.map(feature => feature[t] - feature[t - lag]),
  ];
  const rows: number[][] = [];
  const differenced: number[] = [];
  for (let k = 0; k < length; k++) {
    const t = n - length + k;
    rows.push(changes(t));
    differenced.push(y[t] - y[t - lag]);
  }
  const coefficients = leastSquares(rows, differenced);
  if (!coefficients) {
    return undefined;
  }
  const fitted = (row: number[]) =>
    row.reduce((sum, value, i) => sum + value * coefficients[i], 0);
  const residuals = differenced.map((value, k) => value - fitted(rows[k]));
  const predicted = fitArima(residuals, horizon) ?? new Array(horizon).fill(0);

  const out = new Float64Array(horizon);
  for (let i = 0; i < horizon; i++) {
    const base = i < lag ? y[n - lag + i] : out[i - lag];
    out[i] = base + fitted(changes(n + i)) + predicted[i];
  }
  return out;
}

/** Checks that a forecast is finite and at most three data ranges beyond the data. */
export function isSane(forecast: ArrayLike<number>, y: Float64Array): boolean {
  let min = Infinity;
  let max = -Infinity;
  for (let t = 0; t < y.length; t++) {
    min = Math.min(min, y[t]);
    max = Math.max(max, y[t]);
  }
  const span = Math.max(max - min, Math.abs(max), 1);
  for (let i = 0; i < forecast.length; i++) {
    const value = forecast[i];
    if (!Number.isFinite(value) || value > max + 3 * span) {
      return false;
    }
    if (value < min - 3 * span) {
      return false;
    }
  }
  return true;
}

/** The models the AutoPredictor tries on every series, by name. */
export const MODELS: Record<string, PointModel> = {
  seasonal_naive_daily: (y, periods, h) =>
    seasonalNaive(y, usablePeriod(y.length, periods.slice(0, 1), 1), h),
  seasonal_naive_weekly: (y, periods, h) =>
    periods.length > 1 && y.length >= periods[1]
      ? seasonalNaive(y, periods[1], h)
      : undefined,
  seasonal_mean: seasonalMean,
  adjusted_profile: adjustedProfile,
  ets: exponentialSmoothing,
  theta,
  arima: seasonalDifferenceArima,
  regression: seasonalDifferenceRegression,
  npts,
};
