import { parseFrequency } from '../engine/frequency';
import type { DatasetContent } from './importParser';
import { modelInput, prepareSeries } from './prepareSeries';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

/** Content with key columns item_id and store and one value column. */
function content(
  rows: [item: string, store: string, hour: number, value: number][],
): DatasetContent {
  const series = new Map<
    string,
    { key: string[]; times: number[]; values: number[] }
  >();
  for (const [item, store, hour, value] of rows) {
    const id = `${item}/${store}`;
    const entry = series.get(id) ?? {
      key: [item, store],
      times: [],
      values: [],
    };
    entry.times.push(T0 + hour * HOUR);
    entry.values.push(value);
    series.set(id, entry);
  }
  return {
    keyColumns: ['item_id', 'store'],
    valueColumns: ['target_value'],
    rows: [],
    series: [...series.values()].map(s => ({
      key: s.key,
      times: Float64Array.from(s.times),
      values: [Float64Array.from(s.values)],
    })),
  };
}

const defaults = {
  identifier: 'item_id',
  target: 'target_value',
  frequency: parseFrequency('H')!,
  transformations: {
    aggregation: 'sum' as const,
    middlefill: 'zero',
    backfill: 'zero',
  },
};

describe('prepareSeries', () => {
  it('sums duplicates and stores without a dimension', () => {
    const { series } = prepareSeries(
      content([
        ['a', 'north', 0, 1],
        ['a', 'north', 0, 2],
        ['a', 'south', 0, 4],
        ['a', 'south', 1, 5],
      ]),
      { ...defaults, dimensions: [] },
    );
    expect(series).toHaveLength(1);
    expect(Array.from(series[0].values)).toEqual([7, 5]);
  });

  it('keeps one series per forecast dimension value', () => {
    const { series } = prepareSeries(
      content([
        ['a', 'north', 0, 1],
        ['a', 'south', 0, 4],
      ]),
      { ...defaults, dimensions: ['store'] },
    );
    expect(series.map(s => s.dimensions)).toEqual([['north'], ['south']]);
  });

  it('aggregates into coarser buckets with the chosen method', () => {
    const rows: [string, string, number, number][] = [
      ['a', 'x', 0, 1],
      ['a', 'x', 5, 3],
      ['a', 'x', 24, 10],
    ];
    const daily = { ...defaults, frequency: parseFrequency('D')! };
    const sum = prepareSeries(content(rows), { ...daily, dimensions: [] });
    expect(Array.from(sum.series[0].values)).toEqual([4, 10]);
    const max = prepareSeries(content(rows), {
      ...daily,
      dimensions: [],
      transformations: { ...daily.transformations, aggregation: 'max' },
    });
    expect(Array.from(max.series[0].values)).toEqual([3, 10]);
  });

  it('fills gaps in the middle and at the end', () => {
    const { series, end } = prepareSeries(
      content([
        ['a', 'x', 0, 2],
        ['a', 'x', 3, 4],
        ['b', 'x', 0, 1],
        ['b', 'x', 5, 1],
      ]),
      {
        ...defaults,
        dimensions: [],
        transformations: {
          aggregation: 'sum',
          middlefill: 'mean',
          backfill: 'value',
          backfillValue: 9,
        },
      },
    );
    expect(end).toBe(T0 + 5 * HOUR);
    expect(Array.from(series[0].values)).toEqual([2, 2, 2, 4, 9, 9]);
    expect(Array.from(series[0].filled)).toEqual([0, 1, 1, 0, 1, 1]);
  });

  it('carries values over NaN fills for the models', () => {
    expect(Array.from(modelInput(Float64Array.from([NaN, 2, NaN, 3])))).toEqual(
      [2, 2, 2, 3],
    );
  });
});
