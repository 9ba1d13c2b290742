/**
 * CSV files of forecast exports and predictor backtest exports, named and
 * laid out as Amazon Forecast writes them: `<JobName>_<yyyy-MM-ddTHH-mm-ssZ>_part0.csv`
 * directly under the destination path (backtests in `forecasted-values/`
 * and `accuracy-metrics-values/`), a header in every part, CRLF line endings,
 * dates as `yyyy-MM-ddTHH:mm:ssZ`.
 */
import { forecastTypes } from '../engine/autoModel';
import { addPeriods, parseFrequency } from '../engine/frequency';
import { windowMetrics } from '../engine/metrics';
import { formatIsoSeconds } from './timestamps';
import { ARRAYS_PER_SERIES, type PredictorModelHeader } from './training';

/** Returns the column name of a forecast type: 0.1 → p10, 0.65 → p65, mean → mean. */
export function typeColumn(type: string): string {
  return type === 'mean' ? 'mean' : `p${Math.round(Number(type) * 100)}`;
}

/** Builds the part file name of an export job created at `creationTime` (seconds). */
export function partFileName(jobName: string, creationTime: number): string {
  const stamp = formatIsoSeconds(Math.floor(creationTime) * 1000).replace(
    /:/g,
    '-',
  );
  return `${jobName}_${stamp}_part0.csv`;
}

/** Joins a destination prefix and a relative key with one slash. */
export function joinKey(prefix: string, relative: string): string {
  if (prefix === '') {
    return relative;
  }
  return prefix.endsWith('/') ? prefix + relative : `${prefix}/${relative}`;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvLine(fields: string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

function formatNumber(value: number): string {
  return Number.isFinite(value)
    ? String(Number(value.toFixed(6)))
    : 'not defined';
}

/** Forecast values per series and type, as stored by a forecast. */
export interface ForecastValues {
  item: string;
  dimensions: string[];
  values: Record<string, Float64Array>;
}

/** Writes the forecast export CSV. */
export function forecastExportCsv(options: {
  identifier: string;
  dimensions: string[];
  types: string[];
  start: number;
  frequency: string;
  series: ForecastValues[];
}): string {
  const frequency = parseFrequency(options.frequency)!;
  const lines = [
    csvLine([
      options.identifier,
      ...options.dimensions,
      'date',
      ...options.types.map(typeColumn),
    ]),
  ];
  for (const series of options.series) {
    const length = series.values[options.types[0]].length;
    for (let i = 0; i < length; i++) {
      lines.push(
        csvLine([
          series.item,
          ...series.dimensions,
          formatIsoSeconds(addPeriods(options.start, frequency, i)),
          ...options.types.map(type => formatNumber(series.values[type][i])),
        ]),
      );
    }
  }
  return lines.join('');
}

/** Writes the two backtest export CSVs of a trained predictor. */
export function backtestExportCsv(options: {
  identifier: string;
  dimensions: string[];
  model: PredictorModelHeader;
  arrays: Float64Array[];
}): { forecastedValues: string; accuracyMetrics: string } {
  const { model, arrays } = options;
  const frequency = parseFrequency(model.frequency)!;
  const types = model.forecastTypes;
  const quantiles = types.filter(type => type !== 'mean');
  const windowStart = formatIsoSeconds(model.backtestStart);
  const windowEnd = formatIsoSeconds(model.forecastStart);

  const values = [
    csvLine([
      options.identifier,
      ...options.dimensions,
      'timestamp',
      'target_value',
      'backtestwindow_start_time',
      'backtestwindow_end_time',
      ...types.map(typeColumn),
    ]),
  ];
  const metrics = [
    csvLine([
      options.identifier,
      ...options.dimensions,
      'backtest_window',
      'backtestwindow_start_time',
      'backtestwindow_end_time',
      ...quantiles.map(type => `wQL[${Number(type)}]`),
      'Average wQL',
      'RMSE',
      'WAPE',
      'MAPE',
      'MASE',
    ]),
  ];

  model.series.forEach((series, index) => {
    if (!series.hasBacktest) {
      return;
    }
    const base = index * ARRAYS_PER_SERIES;
    const actual = arrays[base];
    const forecasts = forecastTypes(
      { mean: arrays[base + 1], errors: arrays[base + 2] },
      [...new Set([...types, 'mean'])],
      series.nonNegative,
    );
    for (let i = 0; i < actual.length; i++) {
      values.push(
        csvLine([
          series.item,
          ...series.dimensions,
          formatIsoSeconds(addPeriods(model.backtestStart, frequency, i)),
          formatNumber(actual[i]),
          windowStart,
          windowEnd,
          ...types.map(type => formatNumber(forecasts[type][i])),
        ]),
      );
    }

    const scores = windowMetrics(
      [{ actual, forecasts, naiveScale: series.naiveScale }],
      types,
    );
    const byQuantile = new Map(
      scores.WeightedQuantileLosses.map(loss => [
        loss.Quantile,
        loss.LossValue,
      ]),
    );
    const meanErrors = windowMetrics(
      [{ actual, forecasts, naiveScale: series.naiveScale }],
      ['mean'],
    ).ErrorMetrics[0];
    const row = [
      ...quantiles.map(type => formatNumber(byQuantile.get(Number(type))!)),
      formatNumber(scores.AverageWeightedQuantileLoss),
      formatNumber(scores.RMSE),
      formatNumber(meanErrors.WAPE),
      formatNumber(meanErrors.MAPE),
      formatNumber(meanErrors.MASE),
    ];
    for (const window of ['Computed', 'Summary']) {
      metrics.push(
        csvLine([
          series.item,
          ...series.dimensions,
          window,
          windowStart,
          windowEnd,
          ...row,
        ]),
      );
    }
  });

  return {
    forecastedValues: values.join(''),
    accuracyMetrics: metrics.join(''),
  };
}
