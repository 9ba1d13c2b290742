import { CronExpressionParser } from 'cron-parser';
import { AwsServiceError } from '../core/errors';

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((.+)\)$/;
const AT = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/;
const UNIT_MS: Record<string, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

/** A parsed EventBridge Scheduler expression. */
export type ScheduleExpression =
  | { kind: 'rate'; intervalMs: number }
  | { kind: 'cron'; expression: string; year: string }
  | { kind: 'at'; localTime: string };

function invalid(expression: string, rule: string): AwsServiceError {
  return new AwsServiceError(
    'ValidationException',
    `Invalid Schedule Expression "${expression}": ${rule}`,
  );
}

/**
 * Turns one AWS day-of-week field (1-7 = SUN-SAT, or SUN-SAT names, `?`, `L`,
 * `#`) into cron-parser's (0-6 = SUN-SAT).
 */
function convertDayOfWeek(field: string): string {
  if (field === '?') {
    return '*';
  }
  return field.replace(/\d+/g, (digits, offset: number, whole: string) => {
    // The number after `#` is the week of the month, not a day.
    if (whole[offset - 1] === '#') {
      return digits;
    }
    const day = Number(digits);
    if (day < 1 || day > 7) {
      throw new Error(`day of week ${day} is outside 1-7 (1 is Sunday)`);
    }
    return String(day - 1);
  });
}

/**
 * Parses `rate(value unit)`, `cron(minutes hours day-of-month month
 * day-of-week year)` or `at(yyyy-mm-ddThh:mm:ss)` as EventBridge Scheduler
 * defines them; raises ValidationException naming the rule that failed.
 */
export function parseScheduleExpression(
  expression: string,
): ScheduleExpression {
  const rate = RATE.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2].replace(/s$/, '');
    if (value < 1) {
      throw invalid(
        expression,
        'the rate value must be a positive whole number',
      );
    }
    if ((value === 1) !== !rate[2].endsWith('s')) {
      throw invalid(
        expression,
        `use "${unit}" for a value of 1 and "${unit}s" otherwise`,
      );
    }
    return { kind: 'rate', intervalMs: value * UNIT_MS[unit] };
  }

  const cron = CRON.exec(expression);
  if (cron) {
    const fields = cron[1].trim().split(/\s+/);
    if (fields.length !== 6) {
      throw invalid(
        expression,
        `a cron expression has 6 fields (minutes hours day-of-month month day-of-week year); this one has ${fields.length}`,
      );
    }
    const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields;
    if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
      throw invalid(
        expression,
        'exactly one of day-of-month and day-of-week must be "?"',
      );
    }
    if (!/^(\*|\d{4}(-\d{4})?(,\d{4}(-\d{4})?)*)$/.test(year)) {
      throw invalid(
        expression,
        `the year field "${year}" must be * or years such as 2027 or 2027-2030`,
      );
    }
    try {
      const converted = [
        minutes,
        hours,
        dayOfMonth === '?' ? '*' : dayOfMonth,
        month,
        convertDayOfWeek(dayOfWeek),
      ].join(' ');
      CronExpressionParser.parse(converted, { tz: 'UTC' });
      return { kind: 'cron', expression: converted, year };
    } catch (error) {
      throw invalid(expression, (error as Error).message);
    }
  }

  const at = AT.exec(expression);
  if (at) {
    return { kind: 'at', localTime: at[1] };
  }
  throw invalid(
    expression,
    'use rate(value unit), cron(minutes hours day-of-month month day-of-week year) or at(yyyy-mm-ddThh:mm:ss)',
  );
}

function yearMatches(field: string, year: number): boolean {
  if (field === '*') {
    return true;
  }
  return field.split(',').some(part => {
    const [from, to] = part.split('-').map(Number);
    return to === undefined ? year === from : year >= from && year <= to;
  });
}

/**
 * Returns the first time after `after` at which the schedule fires, or
 * undefined when it never fires again. A rate schedule fires every interval counted from
 * `start` (its creation or start date).
 */
export function nextFireTime(
  schedule: ScheduleExpression,
  after: Date,
  start: Date,
  timezone = 'UTC',
): Date | undefined {
  switch (schedule.kind) {
    case 'rate': {
      const elapsed = after.getTime() - start.getTime();
      const periods = Math.max(
        0,
        Math.floor(elapsed / schedule.intervalMs) + 1,
      );
      return new Date(start.getTime() + periods * schedule.intervalMs);
    }
    case 'cron': {
      const iterator = CronExpressionParser.parse(schedule.expression, {
        currentDate: after,
        tz: timezone,
      });
      // Bounded so that a year field that never matches cannot loop forever.
      for (let i = 0; i < 10_000; i++) {
        const next = iterator.next().toDate();
        if (yearMatches(schedule.year, next.getUTCFullYear())) {
          return next;
        }
        if (schedule.year !== '*' && next.getUTCFullYear() > 3000) {
          return undefined;
        }
      }
      return undefined;
    }
    case 'at': {
      // NOTE: the at() time is read as UTC; the schedule's timezone is not applied to it.
      const time = new Date(`${schedule.localTime}Z`);
      return time > after ? time : undefined;
    }
    default:
      return undefined;
  }
}
