/**
 * Per-series model choice, backtest and forecast: the core of the sandbox
 * AutoPredictor. Runs inside a training worker.
 */
import { isSane, MODELS } from './models';

/** The metric a predictor is optimised for (Amazon Forecast's names). */
export type OptimizationMetric =
  | 'WAPE'
  | 'RMSE'
  | 'AverageWeightedQuantileLoss'
  | 'MASE'
  | 'MAPE';

/** The input of one series' training. */
export interface SeriesTrainingInput {
  /** Complete values at the forecast frequency, oldest first, no NaN. */
  values: Float64Array;
  /** Seasonal periods in steps, shortest first. */
  periods: number[];
  horizon: number;
  metric: OptimizationMetric;
  /** Models to use; the whole set when empty. */
  models?: string[];
  /**
   * Related time series features, each `values.length + horizon` long:
   * one value per step of the data, then per forecast step.
   */
  related?: Float64Array[];
}

/** A point forecast and the errors that give its quantiles. */
export interface ForecastWithErrors {
  mean: Float64Array;
  /** Out-of-sample errors (actual − forecast), sorted ascending. */
  errors: Float64Array;
}

/** The outcome of training one series. */
export interface SeriesTrainingResult {
  /** The models whose mean is the forecast. */
  models: string[];
  /** Forecast of the last `horizon` values from the data before them. */
  backtest?: ForecastWithErrors;
  /** Forecast of the `horizon` steps after the data. */
  future: ForecastWithErrors;
  /** Whether every value is ≥ 0, so forecasts are clipped at zero. */
  nonNegative: boolean;
}

const MAX_CYCLES = 8;

function score(
  actual: Float64Array,
  forecast: Float64Array,
  metric: OptimizationMetric,
): number {
  let total = 0;
  let scale = 0;
  let count = 0;
  for (let i = 0; i < actual.length; i++) {
    const error = actual[i] - forecast[i];
    if (metric === 'RMSE') {
      total += error * error;
    } else if (metric === 'MAPE') {
      if (actual[i] !== 0) {
        total += Math.abs(error / actual[i]);
        count++;
      }
    } else {
      total += Math.abs(error);
    }
    scale += Math.abs(actual[i]);
  }
  if (metric === 'MAPE') {
    return count > 0 ? total / count : total;
  }
  if (metric === 'RMSE' || metric === 'MASE') {
    return total / actual.length;
  }
  return scale > 0 ? total / scale : total;
}

function mean(forecasts: Float64Array[]): Float64Array {
  const out = new Float64Array(forecasts[0].length);
  for (const forecast of forecasts) {
    for (let i = 0; i < out.length; i++) {
      out[i] += forecast[i] / forecasts.length;
    }
  }
  return out;
}

/** The data a model is fitted on, with related features up to the horizon. */
interface History {
  y: Float64Array;
  related?: Float64Array[];
}

/** Fits each named model on the history and returns the sane forecasts. */
function forecastEach(
  names: string[],
  { y, related }: History,
  periods: number[],
  horizon: number,
): Map<string, Float64Array> {
  const forecasts = new Map<string, Float64Array>();
  for (const name of names) {
    const forecast = MODELS[name](y, periods, horizon, related);
    if (forecast && isSane(forecast, y)) {
      forecasts.set(name, forecast);
    }
  }
  return forecasts;
}

/** The mean of the sane forecasts of `names`, falling back to NPTS. */
function combined(
  names: string[],
  history: History,
  periods: number[],
  horizon: number,
): Float64Array {
  const forecasts = [
    ...forecastEach(names, history, periods, horizon).values(),
  ];
  if (forecasts.length === 0) {
    return MODELS.npts(history.y, periods, horizon)!;
  }
  return mean(forecasts);
}

/**
 * Picks the single model or the mean of the best k models with the lowest
 * error summed over the validation windows.
 */
function chooseModels(
  windows: { forecasts: Map<string, Float64Array>; actual: Float64Array }[],
  metric: OptimizationMetric,
): string[] {
  const names = [...windows[0].forecasts.keys()].filter(name =>
    windows.every(window => window.forecasts.has(name)),
  );
  const errorOf = (chosen: string[]) =>
    windows.reduce(
      (sum, window) =>
        sum +
        score(
          window.actual,
          mean(chosen.map(name => window.forecasts.get(name)!)),
          metric,
        ),
      0,
    );
  const ranked = names
    .map(name => ({ name, error: errorOf([name]) }))
    .sort((a, b) => a.error - b.error);
  let best = { names: [ranked[0].name], error: ranked[0].error };
  for (let k = 2; k <= Math.min(4, ranked.length); k++) {
    const top = ranked.slice(0, k).map(entry => entry.name);
    const error = errorOf(top);
    if (error < best.error) {
      best = { names: top, error };
    }
  }
  return best.names;
}

function errorsOf(actual: Float64Array, forecast: Float64Array): number[] {
  const errors = [];
  for (let i = 0; i < actual.length; i++) {
    errors.push(actual[i] - forecast[i]);
  }
  return errors;
}

function sorted(values: number[]): Float64Array {
  return Float64Array.from(values.filter(Number.isFinite)).sort();
}

/** The recent data before `end` and the related features to `end + horizon`. */
function recent(
  input: SeriesTrainingInput,
  end: number,
  periods: number[],
): History {
  const longest = periods.length > 0 ? periods[periods.length - 1] : 64;
  const length = Math.max(MAX_CYCLES * longest, 256);
  const start = Math.max(0, end - length);
  return {
    y: input.values.subarray(start, end),
    related: input.related?.map(feature =>
      feature.subarray(start, end + input.horizon),
    ),
  };
}

function clip(forecast: Float64Array, nonNegative: boolean): Float64Array {
  if (nonNegative) {
    for (let i = 0; i < forecast.length; i++) {
      forecast[i] = Math.max(0, forecast[i]);
    }
  }
  return forecast;
}

/**
 * Trains one series. With enough history (two horizons plus one more
 * horizon or season to fit on), the models are compared on the validation
 * window just before the backtest window, and on the window before that
 * when the history is long enough. The best single model or ensemble is
 * scored on the backtest window (the last `horizon` values), then refitted
 * on all the data for the future. Quantiles come from out-of-sample errors:
 * the validation errors for the backtest, the validation and backtest
 * errors for the future.
 */
export function trainSeries(input: SeriesTrainingInput): SeriesTrainingResult {
  const { values: y, periods, horizon, metric } = input;
  const n = y.length;
  const names =
    input.models && input.models.length > 0
      ? input.models
      : Object.keys(MODELS);
  let nonNegative = true;
  for (let t = 0; t < n; t++) {
    nonNegative &&= y[t] >= 0;
  }
  const minimumFit = Math.max(horizon, periods[0] ?? 4, 4);

  if (n >= 2 * horizon + minimumFit) {
    const validationEnd = n - horizon;
    const validationStart = validationEnd - horizon;
    const validationActual = y.subarray(validationStart, validationEnd);
    const candidates = forecastEach(
      names,
      recent(input, validationStart, periods),
      periods,
      horizon,
    );
    const windows = [{ forecasts: candidates, actual: validationActual }];
    // A second, earlier window makes the choice less sensitive to one
    // unusual horizon (a holiday, an outage), when the history allows it.
    if (validationStart - horizon >= minimumFit) {
      windows.push({
        forecasts: forecastEach(
          names,
          recent(input, validationStart - horizon, periods),
          periods,
          horizon,
        ),
        actual: y.subarray(validationStart - horizon, validationStart),
      });
    }
    const chosen =
      candidates.size > 0 ? chooseModels(windows, metric) : ['npts'];
    const validationForecast = clip(
      candidates.size > 0
        ? mean(chosen.map(name => candidates.get(name)!))
        : combined(
            chosen,
            recent(input, validationStart, periods),
            periods,
            horizon,
          ),
      nonNegative,
    );
    const validationErrors = errorsOf(validationActual, validationForecast);
    if (windows.length > 1 && candidates.size > 0) {
      const earlier = windows[1];
      if (chosen.every(name => earlier.forecasts.has(name))) {
        const forecast = clip(
          mean(chosen.map(name => earlier.forecasts.get(name)!)),
          nonNegative,
        );
        validationErrors.push(...errorsOf(earlier.actual, forecast));
      }
    }

    const backtestMean = clip(
      combined(chosen, recent(input, validationEnd, periods), periods, horizon),
      nonNegative,
    );
    const backtestErrors = errorsOf(y.subarray(validationEnd), backtestMean);
    const futureMean = clip(
      combined(chosen, recent(input, n, periods), periods, horizon),
      nonNegative,
    );
    return {
      models: chosen,
      backtest: {
        mean: backtestMean,
        errors: sorted(validationErrors),
      },
      future: {
        mean: futureMean,
        errors: sorted([...validationErrors, ...backtestErrors]),
      },
      nonNegative,
    };
  }

  // Short history: no validation window, so a fixed robust pair of models,
  // with quantiles from the one-season-ahead changes in the history.
  const chosen = ['npts', 'theta'];
  const m = periods.find(period => n > 2 * period) ?? 1;
  const changes: number[] = [];
  for (let t = m; t < n; t++) {
    changes.push(y[t] - y[t - m]);
  }
  const backtest =
    n > horizon + 1
      ? {
          mean: clip(
            combined(
              chosen,
              { y: y.subarray(0, n - horizon) },
              periods,
              horizon,
            ),
            nonNegative,
          ),
          errors: sorted(changes),
        }
      : undefined;
  return {
    models: chosen,
    backtest,
    future: {
      mean: clip(combined(chosen, { y }, periods, horizon), nonNegative),
      errors: sorted(changes.length > 0 ? changes : [0]),
    },
    nonNegative,
  };
}

/** The τ-quantile of sorted values, linearly interpolated. */
export function sortedQuantile(values: Float64Array, tau: number): number {
  if (values.length === 0) {
    return 0;
  }
  const position = tau * (values.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, values.length - 1);
  const weight = position - below;
  return values[below] * (1 - weight) + values[above] * weight;
}

/**
 * The forecast for each forecast type (`0.1`, `mean`...): the point
 * forecast shifted by the error quantile, clipped at zero for non-negative
 * data, and sorted across quantiles at every step so they never cross.
 */
export function forecastTypes(
  forecast: ForecastWithErrors,
  types: string[],
  nonNegative: boolean,
): Record<string, Float64Array> {
  const quantiles = types.filter(type => type !== 'mean');
  const shifts = quantiles.map(type =>
    sortedQuantile(forecast.errors, Number(type)),
  );
  const result: Record<string, Float64Array> = {};
  for (const type of types) {
    result[type] = new Float64Array(forecast.mean.length);
  }
  const step = new Float64Array(quantiles.length);
  for (let i = 0; i < forecast.mean.length; i++) {
    const point = forecast.mean[i];
    for (let k = 0; k < quantiles.length; k++) {
      const value = point + shifts[k];
      step[k] = nonNegative ? Math.max(0, value) : value;
    }
    const order = quantiles
      .map((type, k) => ({ tau: Number(type), k }))
      .sort((a, b) => a.tau - b.tau);
    const values = Array.from(step).sort((a, b) => a - b);
    order.forEach((entry, rank) => {
      result[quantiles[entry.k]][i] = values[rank];
    });
    if (result.mean) {
      result.mean[i] = point;
    }
  }
  return result;
}

/**
 * Forecasts the `horizon` steps after the data with already chosen models
 * (the mean of their forecasts), as a trained predictor does for newer data.
 */
export function forecastWithModels(
  input: SeriesTrainingInput & { models: string[] },
): Float64Array {
  let nonNegative = true;
  for (let t = 0; t < input.values.length; t++) {
    nonNegative &&= input.values[t] >= 0;
  }
  return clip(
    combined(
      input.models,
      recent(input, input.values.length, input.periods),
      input.periods,
      input.horizon,
    ),
    nonNegative,
  );
}
