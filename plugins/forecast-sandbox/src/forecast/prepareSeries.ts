/**
 * Turns imported target time series rows into regular series at the
 * forecast frequency: rows are grouped by item and forecast dimensions,
 * aggregated into frequency buckets, and gaps are filled per the attribute
 * configuration, as Amazon Forecast does before training.
 */
import {
  approximateDuration,
  bucketStart,
  periodsBetween,
  type Frequency,
} from '../engine/frequency';
import type { DatasetContent, SeriesData } from './importParser';

/** Aggregation and filling of the target, from AttributeConfigs. */
export interface TargetTransformations {
  aggregation: 'sum' | 'avg' | 'first' | 'min' | 'max';
  middlefill: string;
  middlefillValue?: number;
  backfill: string;
  backfillValue?: number;
}

/** A regular series ready for training. */
export interface PreparedSeries {
  item: string;
  /** Values of the forecast dimensions, in ForecastDimensions order. */
  dimensions: string[];
  /** Start of the first bucket, epoch milliseconds. */
  start: number;
  /** One value per bucket up to the dataset's last bucket. */
  values: Float64Array;
  /** 1 where the value was filled rather than observed. */
  filled: Uint8Array;
}

/** Valid fill methods of the target; `value` needs `<method>_value`. */
export const TARGET_FILL_METHODS = [
  'zero',
  'nan',
  'value',
  'median',
  'mean',
  'min',
  'max',
];

/** Valid aggregation methods. */
export const AGGREGATION_METHODS = ['sum', 'avg', 'first', 'min', 'max'];

function fillValue(
  method: string,
  explicit: number | undefined,
  history: number[],
): number {
  // Statistics use the 64 most recent observed values, as documented for
  // Amazon Forecast's filling.
  const recent = history.slice(-64).filter(Number.isFinite);
  switch (method) {
    case 'zero':
      return 0;
    case 'nan':
      return NaN;
    case 'value':
      return explicit ?? 0;
    case 'mean':
      return recent.reduce((a, b) => a + b, 0) / Math.max(1, recent.length);
    case 'min':
      return recent.length > 0 ? Math.min(...recent) : 0;
    case 'max':
      return recent.length > 0 ? Math.max(...recent) : 0;
    case 'median': {
      const sorted = [...recent].sort((a, b) => a - b);
      if (sorted.length === 0) {
        return 0;
      }
      const middle = Math.floor(sorted.length / 2);
      return sorted.length % 2
        ? sorted[middle]
        : (sorted[middle - 1] + sorted[middle]) / 2;
    }
    default:
      return 0;
  }
}

/** Returns the last bucket across every series of the content. */
export function lastBucket(
  content: DatasetContent,
  frequency: Frequency,
): number {
  let last = -Infinity;
  for (const series of content.series) {
    if (series.times.length > 0) {
      last = Math.max(last, series.times[series.times.length - 1]);
    }
  }
  return bucketStart(last, frequency);
}

/** Running aggregation of the observed values that fall in each bucket. */
class Bucketer {
  readonly count: Uint32Array;
  private readonly total: Float64Array;

  constructor(
    length: number,
    private readonly method: TargetTransformations['aggregation'],
  ) {
    this.count = new Uint32Array(length);
    this.total = new Float64Array(length);
  }

  add(index: number, value: number): void {
    if (!Number.isFinite(value) || index < 0 || index >= this.count.length) {
      return;
    }
    const seen = this.count[index]++;
    const current = this.total[index];
    switch (this.method) {
      case 'first':
        this.total[index] = seen === 0 ? value : current;
        break;
      case 'min':
        this.total[index] = seen === 0 ? value : Math.min(current, value);
        break;
      case 'max':
        this.total[index] = seen === 0 ? value : Math.max(current, value);
        break;
      default:
        this.total[index] = current + value;
    }
  }

  value(index: number): number {
    return this.method === 'avg'
      ? this.total[index] / this.count[index]
      : this.total[index];
  }
}

/**
 * Builds the training series. `identifier` and `dimensions` are key columns
 * of the content; other key columns are aggregated over.
 */
export function prepareSeries(
  content: DatasetContent,
  options: {
    identifier: string;
    target: string;
    dimensions: string[];
    frequency: Frequency;
    transformations: TargetTransformations;
  },
): { series: PreparedSeries[]; end: number } {
  const { frequency, transformations } = options;
  const itemIndex = content.keyColumns.indexOf(options.identifier);
  const dimensionIndexes = options.dimensions.map(d =>
    content.keyColumns.indexOf(d),
  );
  const targetIndex = content.valueColumns.indexOf(options.target);
  const end = lastBucket(content, frequency);

  const groups = new Map<
    string,
    { item: string; dimensions: string[]; raws: SeriesData[] }
  >();
  for (const raw of content.series) {
    if (raw.times.length === 0) {
      continue;
    }
    const item = raw.key[itemIndex];
    const dimensions = dimensionIndexes.map(i => raw.key[i]);
    const id = [item, ...dimensions].join('\u0001');
    let group = groups.get(id);
    if (!group) {
      group = { item, dimensions, raws: [] };
      groups.set(id, group);
    }
    group.raws.push(raw);
  }

  // Fixed-size periods (minutes to weeks) index by division; calendar
  // months and years need date arithmetic.
  const fixedSize = ['min', 'H', 'D', 'W'].includes(frequency.unit)
    ? approximateDuration(frequency)
    : undefined;

  const series: PreparedSeries[] = [];
  for (const group of groups.values()) {
    let start = Infinity;
    let lastObserved = -Infinity;
    for (const raw of group.raws) {
      start = Math.min(start, bucketStart(raw.times[0], frequency));
      lastObserved = Math.max(
        lastObserved,
        bucketStart(raw.times[raw.times.length - 1], frequency),
      );
    }
    const length = periodsBetween(start, end, frequency) + 1;
    const bucketIndex = (time: number) =>
      fixedSize
        ? Math.floor((time - start) / fixedSize)
        : periodsBetween(start, bucketStart(time, frequency), frequency);
    const buckets = new Bucketer(length, transformations.aggregation);
    for (const raw of group.raws) {
      const values = raw.values[targetIndex];
      for (let i = 0; i < raw.times.length; i++) {
        buckets.add(bucketIndex(raw.times[i]), values[i]);
      }
    }

    const values = new Float64Array(length);
    const filled = new Uint8Array(length);
    const history: number[] = [];
    const lastIndex = periodsBetween(start, lastObserved, frequency);
    for (let i = 0; i < length; i++) {
      if (buckets.count[i] > 0) {
        values[i] = buckets.value(i);
        history.push(values[i]);
        if (history.length > 128) {
          history.splice(0, 64);
        }
      } else {
        values[i] =
          i > lastIndex
            ? fillValue(
                transformations.backfill,
                transformations.backfillValue,
                history,
              )
            : fillValue(
                transformations.middlefill,
                transformations.middlefillValue,
                history,
              );
        filled[i] = 1;
      }
    }
    series.push({
      item: group.item,
      dimensions: group.dimensions,
      start,
      values,
      filled,
    });
  }
  series.sort((a, b) =>
    compareKeys([a.item, ...a.dimensions], [b.item, ...b.dimensions]),
  );
  return { series, end };
}

function compareKeys(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      return a[i] < b[i] ? -1 : 1;
    }
  }
  return 0;
}

/**
 * Returns the values given to the models: NaN (the `nan` fill) replaced by
 * the previous value, or the next one at the start.
 */
export function modelInput(values: Float64Array): Float64Array {
  const out = Float64Array.from(values);
  let previous = NaN;
  for (let i = 0; i < out.length; i++) {
    if (Number.isNaN(out[i])) {
      out[i] = previous;
    } else {
      previous = out[i];
    }
  }
  const first = out.findIndex(Number.isFinite);
  for (let i = 0; i < first; i++) {
    out[i] = out[first];
  }
  return first < 0 ? out.fill(0) : out;
}

/**
 * Aligns related time series features with each target series: one value
 * per bucket from the series' start to `horizon` steps past the end of the
 * data. Related series are matched by item id and by the forecast
 * dimensions they share with the target; several matches are averaged.
 * Returns undefined for a series without a match.
 * NOTE: missing related values are carried forward (then backward) rather
 * than filled per the related series' AttributeConfigs.
 */
export function alignRelated(
  content: DatasetContent,
  targets: PreparedSeries[],
  options: {
    identifier: string;
    dimensions: string[];
    frequency: Frequency;
    horizon: number;
  },
): (Float64Array[] | undefined)[] {
  const itemIndex = content.keyColumns.indexOf(options.identifier);
  const shared = options.dimensions
    .map((dimension, position) => ({
      position,
      index: content.keyColumns.indexOf(dimension),
    }))
    .filter(entry => entry.index >= 0);
  const byKey = new Map<string, SeriesData[]>();
  for (const series of content.series) {
    const key = [
      series.key[itemIndex],
      ...shared.map(entry => series.key[entry.index]),
    ].join('\u0001');
    byKey.set(key, [...(byKey.get(key) ?? []), series]);
  }

  return targets.map(target => {
    const key = [
      target.item,
      ...shared.map(entry => target.dimensions[entry.position]),
    ].join('\u0001');
    const matches = byKey.get(key);
    if (!matches || content.valueColumns.length === 0) {
      return undefined;
    }
    const length = target.values.length + options.horizon;
    return content.valueColumns.map((_, column) => {
      const sums = new Float64Array(length);
      const counts = new Uint32Array(length);
      for (const series of matches) {
        for (let i = 0; i < series.times.length; i++) {
          const value = series.values[column][i];
          const index = periodsBetween(
            target.start,
            bucketStart(series.times[i], options.frequency),
            options.frequency,
          );
          if (index >= 0 && index < length && Number.isFinite(value)) {
            sums[index] += value;
            counts[index]++;
          }
        }
      }
      const feature = new Float64Array(length).fill(NaN);
      for (let i = 0; i < length; i++) {
        if (counts[i] > 0) {
          feature[i] = sums[i] / counts[i];
        }
      }
      return modelInput(feature);
    });
  });
}
