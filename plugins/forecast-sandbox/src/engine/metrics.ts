/**
 * Accuracy metrics as Amazon Forecast defines them (developer guide,
 * "Evaluating predictor accuracy"). Sums run over every item and time point
 * of a backtest window. A metric that cannot be computed is NaN.
 */

/** Actual values and one forecast per point, for one or many series. */
export interface ScoredSeries {
  actual: ArrayLike<number>;
  /** Forecast values per forecast type (`0.1`, `mean`...). */
  forecasts: Record<string, ArrayLike<number>>;
  /** MASE denominator: mean |y[t] - y[t-m]| over the training data. */
  naiveScale?: number;
}

/** Metrics for one forecast type, as in `ErrorMetrics`. */
export interface ErrorMetric {
  ForecastType: string;
  WAPE: number;
  RMSE: number;
  MASE: number;
  MAPE: number;
}

/** A window's metrics, in GetAccuracyMetrics' `Metrics` shape. */
export interface WindowMetrics {
  RMSE: number;
  WeightedQuantileLosses: { Quantile: number; LossValue: number }[];
  ErrorMetrics: ErrorMetric[];
  AverageWeightedQuantileLoss: number;
}

/** Σ of the quantile loss 2·[τ·(y−q)+ + (1−τ)·(q−y)+] over all points. */
function quantileLossSum(series: ScoredSeries[], type: string, tau: number) {
  let sum = 0;
  for (const s of series) {
    const q = s.forecasts[type];
    for (let i = 0; i < s.actual.length; i++) {
      const diff = s.actual[i] - q[i];
      sum += 2 * (diff > 0 ? tau * diff : (tau - 1) * diff);
    }
  }
  return sum;
}

function absoluteSum(series: ScoredSeries[]): number {
  let sum = 0;
  for (const s of series) {
    for (let i = 0; i < s.actual.length; i++) {
      sum += Math.abs(s.actual[i]);
    }
  }
  return sum;
}

/**
 * wQL[τ] = 2·Σ[τ·max(y−q,0) + (1−τ)·max(q−y,0)] / Σ|y|. When Σ|y| is zero
 * the unweighted numerator is returned, as Amazon Forecast does.
 */
export function weightedQuantileLoss(
  series: ScoredSeries[],
  type: string,
): number {
  const loss = quantileLossSum(series, type, Number(type));
  const scale = absoluteSum(series);
  return scale > 1e-12 ? loss / scale : loss;
}

/** WAPE = Σ|y − ŷ| / Σ|y|. */
export function wape(series: ScoredSeries[], type: string): number {
  let errors = 0;
  for (const s of series) {
    const f = s.forecasts[type];
    for (let i = 0; i < s.actual.length; i++) {
      errors += Math.abs(s.actual[i] - f[i]);
    }
  }
  const scale = absoluteSum(series);
  return scale > 1e-12 ? errors / scale : NaN;
}

/** RMSE = √(Σ(y − ŷ)² / n) over all n points. */
export function rmse(series: ScoredSeries[], type: string): number {
  let squares = 0;
  let count = 0;
  for (const s of series) {
    const f = s.forecasts[type];
    for (let i = 0; i < s.actual.length; i++) {
      squares += (s.actual[i] - f[i]) ** 2;
      count++;
    }
  }
  return count > 0 ? Math.sqrt(squares / count) : NaN;
}

/** MAPE = mean of |(y − ŷ)/y| over the points where y is not zero. */
export function mape(series: ScoredSeries[], type: string): number {
  let sum = 0;
  let count = 0;
  for (const s of series) {
    const f = s.forecasts[type];
    for (let i = 0; i < s.actual.length; i++) {
      if (s.actual[i] !== 0) {
        sum += Math.abs((s.actual[i] - f[i]) / s.actual[i]);
        count++;
      }
    }
  }
  return count > 0 ? sum / count : NaN;
}

/**
 * MASE = mean|y − ŷ| / mean|y[t] − y[t−m]| per series.
 * NOTE: Amazon Forecast does not document how it combines MASE across
 * items; this averages the items whose MASE is defined.
 */
export function mase(series: ScoredSeries[], type: string): number {
  let sum = 0;
  let count = 0;
  for (const s of series) {
    if (!s.naiveScale || !(s.naiveScale > 0) || s.actual.length === 0) {
      continue;
    }
    const f = s.forecasts[type];
    let errors = 0;
    for (let i = 0; i < s.actual.length; i++) {
      errors += Math.abs(s.actual[i] - f[i]);
    }
    sum += errors / s.actual.length / s.naiveScale;
    count++;
  }
  return count > 0 ? sum / count : NaN;
}

/** Mean |y[t] − y[t−m]| over the training values, the MASE denominator. */
export function naiveScale(training: ArrayLike<number>, m: number): number {
  const lag = training.length > m ? m : 1;
  let sum = 0;
  let count = 0;
  for (let t = lag; t < training.length; t++) {
    const change = Math.abs(training[t] - training[t - lag]);
    if (Number.isFinite(change)) {
      sum += change;
      count++;
    }
  }
  return count > 0 ? sum / count : NaN;
}

/**
 * Computes a window's metrics in GetAccuracyMetrics' shape. `types` are the
 * predictor's forecast types; RMSE at the top level uses the mean forecast,
 * which every series must carry under `mean`. Quantile losses are listed from
 * the highest quantile down, as the service lists them.
 */
export function windowMetrics(
  series: ScoredSeries[],
  types: string[],
): WindowMetrics {
  const quantiles = types
    .filter(type => type !== 'mean')
    .sort((a, b) => Number(b) - Number(a));
  const losses = quantiles.map(type => ({
    Quantile: Number(type),
    LossValue: weightedQuantileLoss(series, type),
  }));
  const average =
    losses.length > 0
      ? losses.reduce((sum, loss) => sum + loss.LossValue, 0) / losses.length
      : NaN;

  return {
    RMSE: rmse(series, 'mean'),
    WeightedQuantileLosses: losses,
    ErrorMetrics: types.map(type => ({
      ForecastType: type,
      WAPE: wape(series, type),
      RMSE: rmse(series, type),
      MASE: mase(series, type),
      MAPE: mape(series, type),
    })),
    AverageWeightedQuantileLoss: average,
  };
}
