import { InputError } from '@backstage/errors';

const TOKENS: Record<string, string> = {
  yyyy: '(?<year>\\d{4})',
  MM: '(?<month>\\d{2})',
  dd: '(?<day>\\d{2})',
  HH: '(?<hour>\\d{2})',
  mm: '(?<minute>\\d{2})',
  ss: '(?<second>\\d{2})',
};

/**
 * Builds a parser for Amazon Forecast timestamp formats (Java date patterns
 * such as `yyyy-MM-dd` or `yyyy-MM-dd HH:mm:ss`) that returns ISO 8601 UTC
 * strings like the `date` column of forecast exports, or undefined when a
 * value does not match. Only the tokens yyyy, MM, dd, HH, mm and ss are known.
 */
export function timestampParser(
  format: string,
): (value: string) => string | undefined {
  const tokens = Object.keys(TOKENS);
  let pattern = '';
  let rest = format;
  while (rest.length > 0) {
    const remaining = rest;
    const token = tokens.find(t => remaining.startsWith(t));
    if (token) {
      pattern += TOKENS[token];
      rest = rest.slice(token.length);
    } else if (/[A-Za-z]/.test(rest[0])) {
      throw new InputError(
        `Unsupported TimestampFormat "${format}": the series route reads only yyyy, MM, dd, HH, mm and ss`,
      );
    } else {
      pattern += rest[0].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      rest = rest.slice(1);
    }
  }
  // Forecast accepts a time part after a date-only format.
  const regex = new RegExp(
    `^${pattern}(?:[ T](?<lateHour>\\d{2}):(?<lateMinute>\\d{2})(?::(?<lateSecond>\\d{2}))?)?$`,
  );

  return value => {
    const groups = regex.exec(value.trim())?.groups;
    if (!groups?.year) {
      return undefined;
    }
    const hour = groups.hour ?? groups.lateHour ?? '00';
    const minute = groups.minute ?? groups.lateMinute ?? '00';
    const second = groups.second ?? groups.lateSecond ?? '00';
    return `${groups.year}-${groups.month ?? '01'}-${
      groups.day ?? '01'
    }T${hour}:${minute}:${second}Z`;
  };
}
