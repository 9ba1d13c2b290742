/**
 * AutoPredictor training: prepares the series, trains them in the worker
 * pool in chunks, scores the backtest window and builds the stored model.
 */
import {
  forecastTypes,
  type ForecastWithErrors,
  type OptimizationMetric,
  type SeriesTrainingInput,
  type SeriesTrainingResult,
} from '../engine/autoModel';
import {
  addPeriods,
  maseSeasonality,
  seasonalPeriods,
  type Frequency,
} from '../engine/frequency';
import {
  naiveScale,
  windowMetrics,
  type WindowMetrics,
} from '../engine/metrics';
import type { WorkerPool } from '../engine/WorkerPool';
import type { WorkerTask } from '../engine/workerTasks';
import { modelInput, type PreparedSeries } from './prepareSeries';

/** One trained series as stored with the predictor. */
export interface TrainedSeriesInfo {
  item: string;
  dimensions: string[];
  models: string[];
  nonNegative: boolean;
  /** MASE denominator from the data before the backtest window. */
  naiveScale: number;
  /** Whether the series is scored in the backtest window. */
  scored: boolean;
  hasBacktest: boolean;
}

/** The stored model of a predictor, besides its arrays. */
export interface PredictorModelHeader {
  horizon: number;
  forecastTypes: string[];
  /** First bucket of the backtest window, epoch milliseconds. */
  backtestStart: number;
  /** First bucket after the data: the first forecast step. */
  forecastStart: number;
  frequency: string;
  series: TrainedSeriesInfo[];
}

/**
 * Arrays per series, in this order: backtest actuals, backtest mean,
 * backtest errors, future mean, future errors.
 */
export const ARRAYS_PER_SERIES = 5;

/** A window's metrics with its bounds, for GetAccuracyMetrics. */
export interface BacktestAccuracy {
  windowStart: number;
  windowEnd: number;
  itemCount: number;
  metrics: WindowMetrics;
}

const CHUNK_SIZE = 25;

/** Trains every series and returns the stored model and the accuracy. */
export async function trainPredictor(options: {
  series: PreparedSeries[];
  /** Related time series features per series, from `alignRelated`. */
  related?: (Float64Array[] | undefined)[];
  end: number;
  frequency: Frequency;
  horizon: number;
  forecastTypes: string[];
  metric: OptimizationMetric;
  pool: WorkerPool;
}): Promise<{
  header: PredictorModelHeader;
  arrays: Float64Array[];
  accuracy: BacktestAccuracy;
}> {
  const { series, frequency, horizon } = options;
  const periods = seasonalPeriods(frequency);
  const inputs: SeriesTrainingInput[] = series.map((s, index) => ({
    values: modelInput(s.values),
    periods,
    horizon,
    metric: options.metric,
    related: options.related?.[index],
  }));

  const chunks: Promise<SeriesTrainingResult[]>[] = [];
  for (let i = 0; i < inputs.length; i += CHUNK_SIZE) {
    chunks.push(
      options.pool.run<SeriesTrainingResult[]>({
        type: 'train',
        series: inputs.slice(i, i + CHUNK_SIZE),
      }),
    );
  }
  const results = (await Promise.all(chunks)).flat();

  const backtestStart = addPeriods(options.end, frequency, 1 - horizon);
  const forecastStart = addPeriods(options.end, frequency, 1);
  const types = [...new Set([...options.forecastTypes, 'mean'])];
  const m = maseSeasonality(frequency);
  const infos: TrainedSeriesInfo[] = [];
  const arrays: Float64Array[] = [];
  const scored = [];
  const empty = new Float64Array(0);

  for (const [index, result] of results.entries()) {
    const prepared = series[index];
    const n = prepared.values.length;
    const actual = prepared.values.subarray(Math.max(0, n - horizon));
    const training = inputs[index].values.subarray(0, Math.max(0, n - horizon));
    const scale = naiveScale(training, m);
    const hasBacktest = result.backtest !== undefined && n > horizon;
    const isScored =
      hasBacktest &&
      !prepared.filled.subarray(n - horizon).some(flag => flag === 1);
    infos.push({
      item: prepared.item,
      dimensions: prepared.dimensions,
      models: result.models,
      nonNegative: result.nonNegative,
      naiveScale: scale,
      scored: isScored,
      hasBacktest,
    });
    arrays.push(
      hasBacktest ? Float64Array.from(actual) : empty,
      hasBacktest ? result.backtest!.mean : empty,
      hasBacktest ? result.backtest!.errors : empty,
      result.future.mean,
      result.future.errors,
    );
    if (isScored) {
      scored.push({
        actual,
        forecasts: forecastTypes(result.backtest!, types, result.nonNegative),
        naiveScale: scale,
      });
    }
  }

  return {
    header: {
      horizon,
      forecastTypes: options.forecastTypes,
      backtestStart,
      forecastStart,
      frequency: frequency.text,
      series: infos,
    },
    arrays,
    accuracy: {
      windowStart: backtestStart,
      windowEnd: forecastStart,
      itemCount: scored.length,
      metrics: windowMetrics(scored, options.forecastTypes),
    },
  };
}

/** A series' forecast from the latest data, with its quantile errors. */
export interface LatestForecast {
  item: string;
  dimensions: string[];
  forecast: ForecastWithErrors;
  nonNegative: boolean;
}

/**
 * Forecasts every series from the latest data with the trained predictor:
 * each known series reuses its chosen models and out-of-sample errors, and
 * a series the predictor has not seen is trained on its own. Returns the
 * first forecast step and the forecasts.
 */
export async function forecastLatest(options: {
  series: PreparedSeries[];
  related?: (Float64Array[] | undefined)[];
  end: number;
  frequency: Frequency;
  metric: OptimizationMetric;
  model: { header: PredictorModelHeader; arrays: Float64Array[] };
  pool: WorkerPool;
}): Promise<{ start: number; series: LatestForecast[] }> {
  const { header, arrays } = options.model;
  const horizon = header.horizon;
  const periods = seasonalPeriods(options.frequency);
  const trained = new Map(
    header.series.map((info, index) => [
      [info.item, ...info.dimensions].join('\u0001'),
      { info, index },
    ]),
  );

  const known: (SeriesTrainingInput & { models: string[] })[] = [];
  const unknown: SeriesTrainingInput[] = [];
  const plan = options.series.map((series, index) => {
    const input: SeriesTrainingInput = {
      values: modelInput(series.values),
      periods,
      horizon,
      metric: options.metric,
      related: options.related?.[index],
    };
    const match = trained.get(
      [series.item, ...series.dimensions].join('\u0001'),
    );
    if (match) {
      known.push({ ...input, models: match.info.models });
      return { kind: 'known' as const, position: known.length - 1, match };
    }
    unknown.push(input);
    return { kind: 'unknown' as const, position: unknown.length - 1 };
  });

  const runChunks = async <I, R>(type: 'forecast' | 'train', inputs: I[]) => {
    const chunks: Promise<R[]>[] = [];
    for (let i = 0; i < inputs.length; i += CHUNK_SIZE) {
      chunks.push(
        options.pool.run<R[]>({
          type,
          series: inputs.slice(i, i + CHUNK_SIZE),
        } as WorkerTask),
      );
    }
    return (await Promise.all(chunks)).flat();
  };
  const means = await runChunks<unknown, Float64Array>('forecast', known);
  const results = await runChunks<unknown, SeriesTrainingResult>(
    'train',
    unknown,
  );

  const series = options.series.map((prepared, index) => {
    const step = plan[index];
    if (step.kind === 'known') {
      const base = step.match.index * ARRAYS_PER_SERIES;
      return {
        item: prepared.item,
        dimensions: prepared.dimensions,
        forecast: { mean: means[step.position], errors: arrays[base + 4] },
        nonNegative: step.match.info.nonNegative,
      };
    }
    const result = results[step.position];
    return {
      item: prepared.item,
      dimensions: prepared.dimensions,
      forecast: result.future,
      nonNegative: result.nonNegative,
    };
  });
  return { start: addPeriods(options.end, options.frequency, 1), series };
}
