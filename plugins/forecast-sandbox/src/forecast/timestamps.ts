/**
 * Timestamp formats in the Java (Joda) pattern syntax Amazon Forecast uses:
 * `yyyy-MM-dd HH:mm:ss` (the default), `yyyy-MM-dd`, `yyyy-MM-dd'T'HH:mm:ss`
 * and the like. Only the numeric fields yyyy, MM, dd, HH, mm and ss are
 * supported; quoted text and other characters are literals. Times are UTC.
 */

/** The default TimestampFormat of an import job. */
export const DEFAULT_TIMESTAMP_FORMAT = 'yyyy-MM-dd HH:mm:ss';

const FIELDS: Record<string, { name: string; digits: number }> = {
  yyyy: { name: 'year', digits: 4 },
  MM: { name: 'month', digits: 2 },
  dd: { name: 'day', digits: 2 },
  HH: { name: 'hour', digits: 2 },
  mm: { name: 'minute', digits: 2 },
  ss: { name: 'second', digits: 2 },
};

/** Parses a timestamp string to epoch milliseconds, or undefined. */
export type TimestampParser = (text: string) => number | undefined;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Compiles a format into a parser. Throws an Error naming the unsupported
 * part when the format uses anything but the fields above and literals.
 */
export function compileTimestampFormat(format: string): TimestampParser {
  const order: string[] = [];
  let pattern = '^';
  let rest = format;
  while (rest.length > 0) {
    const remaining = rest;
    const token = Object.keys(FIELDS).find(key => remaining.startsWith(key));
    if (token) {
      order.push(FIELDS[token].name);
      pattern += `(\\d{${FIELDS[token].digits}})`;
      rest = rest.slice(token.length);
      continue;
    }
    if (rest[0] === "'") {
      const close = rest.indexOf("'", 1);
      if (close < 0) {
        throw new Error(`the quote in "${format}" is never closed`);
      }
      pattern += escapeRegExp(rest.slice(1, close));
      rest = rest.slice(close + 1);
      continue;
    }
    if (/[a-zA-Z]/.test(rest[0])) {
      throw new Error(
        `"${rest[0]}" in "${format}" is not supported; use yyyy, MM, dd, HH, mm and ss`,
      );
    }
    pattern += escapeRegExp(rest[0]);
    rest = rest.slice(1);
  }
  if (!order.includes('year') || !order.includes('month')) {
    throw new Error(`"${format}" needs at least yyyy and MM`);
  }
  const regex = new RegExp(`${pattern}$`);
  // Data files repeat the same timestamps for every item, so parsed values
  // are cached; the cache is cleared when it grows past 100,000 entries.
  const cache = new Map<string, number | undefined>();

  const parse = (text: string): number | undefined => {
    const match = regex.exec(text);
    if (!match) {
      return undefined;
    }
    const parts: Record<string, number> = {
      day: 1,
      hour: 0,
      minute: 0,
      second: 0,
    };
    order.forEach((name, index) => {
      parts[name] = Number(match[index + 1]);
    });
    const time = Date.UTC(
      parts.year,
      parts.month - 1,
      parts.day,
      parts.hour,
      parts.minute,
      parts.second,
    );
    const date = new Date(time);
    if (
      date.getUTCMonth() !== parts.month - 1 ||
      date.getUTCDate() !== parts.day ||
      parts.hour > 23 ||
      parts.minute > 59 ||
      parts.second > 59
    ) {
      return undefined;
    }
    return time;
  };

  return text => {
    if (cache.has(text)) {
      return cache.get(text);
    }
    if (cache.size >= 100_000) {
      cache.clear();
    }
    const time = parse(text);
    cache.set(text, time);
    return time;
  };
}

/** Formats epoch milliseconds as `yyyy-MM-dd HH:mm:ss` (UTC). */
export function formatTimestamp(time: number): string {
  return new Date(time).toISOString().slice(0, 19).replace('T', ' ');
}

/** Formats epoch milliseconds as `yyyy-MM-ddTHH:mm:ssZ`, as exports do. */
export function formatIsoSeconds(time: number): string {
  return `${new Date(time).toISOString().slice(0, 19)}Z`;
}
