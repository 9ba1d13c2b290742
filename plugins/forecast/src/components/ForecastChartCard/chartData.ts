import type { ForecastSeriesResponse } from '@forecast-pipelines/plugin-forecast-common';

/** One point of the chart: an actual value or a forecast band and median. */
export interface ChartPoint {
  date: string;
  actual?: number;
  band?: [number, number];
  median?: number;
}

/** Which forecast types draw the band and the median line. */
export interface ChartSeries {
  lower?: string;
  upper?: string;
  median?: string;
}

function quantileOf(forecastType: string): number | undefined {
  const match = /^p(\d+(?:\.\d+)?)$/.exec(forecastType);
  return match ? Number(match[1]) : undefined;
}

/**
 * Picks the widest quantile pair for the band (for example `p10` and `p90`)
 * and `p50`, else `mean`, for the median line.
 */
export function pickSeries(forecastTypes: string[]): ChartSeries {
  const quantiles = forecastTypes
    .filter(type => quantileOf(type) !== undefined)
    .sort((a, b) => quantileOf(a)! - quantileOf(b)!);
  const series: ChartSeries = {};
  if (quantiles.length >= 2) {
    series.lower = quantiles[0];
    series.upper = quantiles[quantiles.length - 1];
  }
  if (forecastTypes.includes('p50')) {
    series.median = 'p50';
  } else if (forecastTypes.includes('mean')) {
    series.median = 'mean';
  } else if (quantiles.length === 1) {
    series.median = quantiles[0];
  }
  return series;
}

function toNumber(value: number | string | undefined): number | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/** Joins the actuals and the forecast into one date-ordered series. */
export function buildChartData(
  response: ForecastSeriesResponse,
  series: ChartSeries,
): ChartPoint[] {
  const points = new Map<string, ChartPoint>();
  for (const actual of response.actuals) {
    points.set(actual.date, { date: actual.date, actual: actual.value });
  }
  for (const row of response.forecast) {
    const point: ChartPoint = points.get(row.date) ?? { date: row.date };
    const lower = series.lower ? toNumber(row[series.lower]) : undefined;
    const upper = series.upper ? toNumber(row[series.upper]) : undefined;
    if (lower !== undefined && upper !== undefined) {
      point.band = [lower, upper];
    }
    if (series.median) {
      point.median = toNumber(row[series.median]);
    }
    points.set(row.date, point);
  }
  return [...points.values()].sort((a, b) => a.date.localeCompare(b.date));
}
