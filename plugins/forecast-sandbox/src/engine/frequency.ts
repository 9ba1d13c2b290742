/**
 * Forecast frequencies (`H`, `30min`, `2W`, `M`...) and the calendar
 * arithmetic the import and the models need: bucket boundaries, steps and
 * seasonal periods. All times are UTC epoch milliseconds.
 */

/** The unit of a frequency, from minutes to years. */
export type FrequencyUnit = 'min' | 'H' | 'D' | 'W' | 'M' | 'Y';

/** A parsed frequency: `count` units, for example 15 `min` or 2 `W`. */
export interface Frequency {
  unit: FrequencyUnit;
  count: number;
  text: string;
}

const MAX_COUNT: Record<FrequencyUnit, number> = {
  min: 59,
  H: 23,
  D: 6,
  W: 4,
  M: 11,
  Y: 1,
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** 1970-01-05 was a Monday; weeks start on Mondays as in Amazon Forecast. */
const FIRST_MONDAY = 4 * DAY;

/**
 * Parses a frequency as Amazon Forecast accepts it: `Y`, `M`, `W`, `D`, `H`
 * or `min`, optionally preceded by a multiple (minutes 1-59, hours 1-23,
 * days 1-6, weeks 1-4, months 1-11, years 1). Returns undefined when invalid.
 */
export function parseFrequency(text: string): Frequency | undefined {
  const match = /^(\d{0,2})(min|H|D|W|M|Y)$/.exec(text);
  if (!match) {
    return undefined;
  }
  const unit = match[2] as FrequencyUnit;
  const count = match[1] === '' ? 1 : Number(match[1]);
  if (unit === 'min' && match[1] === '') {
    return undefined;
  }
  if (count < 1 || count > MAX_COUNT[unit]) {
    return undefined;
  }
  return { unit, count, text };
}

/** The approximate length of one period in milliseconds, for comparisons. */
export function approximateDuration(frequency: Frequency): number {
  const unitMs: Record<FrequencyUnit, number> = {
    min: MINUTE,
    H: HOUR,
    D: DAY,
    W: WEEK,
    M: 30.44 * DAY,
    Y: 365.25 * DAY,
  };
  return unitMs[frequency.unit] * frequency.count;
}

/**
 * Returns the start of the bucket that contains `time`: the top of the
 * minute or hour, midnight, the most recent Monday, the 1st of the month or
 * January 1st. Multiples count from the Unix epoch (weeks from a Monday).
 */
export function bucketStart(time: number, frequency: Frequency): number {
  const { unit, count } = frequency;
  if (unit === 'min' || unit === 'H' || unit === 'D') {
    const unitMs = { min: MINUTE, H: HOUR, D: DAY }[unit];
    const size = unitMs * count;
    return Math.floor(time / size) * size;
  }
  if (unit === 'W') {
    const size = WEEK * count;
    return Math.floor((time - FIRST_MONDAY) / size) * size + FIRST_MONDAY;
  }
  const date = new Date(time);
  if (unit === 'M') {
    const months = date.getUTCFullYear() * 12 + date.getUTCMonth();
    const start = months - (((months % count) + count) % count);
    return Date.UTC(Math.floor(start / 12), start % 12, 1);
  }
  return Date.UTC(date.getUTCFullYear(), 0, 1);
}

/** Adds `steps` periods to a bucket start. */
export function addPeriods(
  time: number,
  frequency: Frequency,
  steps: number,
): number {
  const { unit, count } = frequency;
  if (unit === 'M' || unit === 'Y') {
    const date = new Date(time);
    const months = unit === 'M' ? count * steps : 12 * count * steps;
    return Date.UTC(
      date.getUTCFullYear(),
      date.getUTCMonth() + months,
      date.getUTCDate(),
      date.getUTCHours(),
      date.getUTCMinutes(),
    );
  }
  const size = { min: MINUTE, H: HOUR, D: DAY, W: WEEK }[unit] * count;
  return time + size * steps;
}

/** Number of whole periods from bucket `from` to bucket `to`. */
export function periodsBetween(
  from: number,
  to: number,
  frequency: Frequency,
): number {
  const { unit, count } = frequency;
  if (unit === 'M' || unit === 'Y') {
    const a = new Date(from);
    const b = new Date(to);
    const months =
      (b.getUTCFullYear() - a.getUTCFullYear()) * 12 +
      (b.getUTCMonth() - a.getUTCMonth());
    return Math.round(months / (unit === 'M' ? count : 12 * count));
  }
  return Math.round((to - from) / approximateDuration(frequency));
}

/**
 * Seasonal periods worth modelling, shortest first: daily and weekly for
 * hourly and minute data, weekly for daily data, yearly for weekly and
 * monthly data, none for yearly data.
 */
export function seasonalPeriods(frequency: Frequency): number[] {
  const { unit, count } = frequency;
  let perDay = 0;
  if (unit === 'min') {
    perDay = (24 * 60) / count;
  } else if (unit === 'H') {
    perDay = 24 / count;
  }
  if (perDay > 0) {
    return Number.isInteger(perDay) ? [perDay, perDay * 7] : [];
  }
  if (unit === 'D') {
    return count === 1 ? [7] : [];
  }
  if (unit === 'W') {
    return count === 1 ? [52] : [];
  }
  if (unit === 'M') {
    return Number.isInteger(12 / count) && count < 12 ? [12 / count] : [];
  }
  return [];
}

/**
 * The seasonality `m` of the MASE denominator. Amazon Forecast documents only
 * that it depends on the frequency.
 * NOTE: the values here (the shortest seasonal period, 1 when there is none)
 * are our choice, not published ones.
 */
export function maseSeasonality(frequency: Frequency): number {
  return seasonalPeriods(frequency)[0] ?? 1;
}
