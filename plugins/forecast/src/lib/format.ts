const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Formats a duration in milliseconds as `1h 2m`, `3m 4s` or `5s`. */
export function formatDuration(milliseconds: number): string {
  if (!Number.isFinite(milliseconds) || milliseconds < 0) {
    return '-';
  }
  if (milliseconds < MINUTE) {
    return `${Math.round(milliseconds / SECOND)}s`;
  }
  if (milliseconds < HOUR) {
    const minutes = Math.floor(milliseconds / MINUTE);
    const seconds = Math.round((milliseconds % MINUTE) / SECOND);
    return seconds ? `${minutes}m ${seconds}s` : `${minutes}m`;
  }
  const hours = Math.floor(milliseconds / HOUR);
  const minutes = Math.round((milliseconds % HOUR) / MINUTE);
  return minutes ? `${hours}h ${minutes}m` : `${hours}h`;
}

/**
 * Formats the time between a start and an end date. A run without an end
 * date is measured up to `now`.
 */
export function formatElapsed(
  startDate: string,
  endDate: string | undefined,
  now: number = Date.now(),
): string {
  const end = endDate ? Date.parse(endDate) : now;
  return formatDuration(end - Date.parse(startDate));
}

const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** Formats a date relative to `now`, for example `3 hours ago` or `in 2 days`. */
export function formatRelative(date: string, now: number = Date.now()): string {
  const difference = Date.parse(date) - now;
  if (Number.isNaN(difference)) {
    return '-';
  }
  const size = Math.abs(difference);
  if (size < MINUTE) {
    return relativeFormat.format(Math.round(difference / SECOND), 'second');
  }
  if (size < HOUR) {
    return relativeFormat.format(Math.round(difference / MINUTE), 'minute');
  }
  if (size < DAY) {
    return relativeFormat.format(Math.round(difference / HOUR), 'hour');
  }
  return relativeFormat.format(Math.round(difference / DAY), 'day');
}

/** Formats an ISO date in the browser's locale and time zone. */
export function formatDateTime(date: string | undefined): string {
  if (!date) {
    return '-';
  }
  const parsed = new Date(date);
  if (Number.isNaN(parsed.getTime())) {
    return date;
  }
  return parsed.toLocaleString();
}

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** Formats a size in bytes with 1024-based units, for example `1.5 KB`. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

/** Formats a metric value with up to four significant digits. */
export function formatMetric(value: number | undefined): string {
  if (value === undefined || value === null || !Number.isFinite(value)) {
    return '-';
  }
  return Number(value.toPrecision(4)).toString();
}

/**
 * Formats how a run started. The backend leaves `startedBy` out when Step
 * Functions does not record it, so an unknown origin shows as a dash rather
 * than a guess.
 */
export function formatStartedBy(startedBy: string | undefined): string {
  return startedBy || '-';
}
