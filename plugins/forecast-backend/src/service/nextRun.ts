import { CronExpressionParser } from 'cron-parser';

const RATE_UNITS_MS: Record<string, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

/**
 * Converts an EventBridge Scheduler cron body (minutes hours day-of-month
 * month day-of-week year) to the five-field form cron-parser reads: the year
 * is dropped, `?` becomes `*`, and numeric days of the week move from
 * Scheduler's 1-7 (Sunday first) to 0-6.
 */
function toStandardCron(body: string): string | undefined {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) {
    return undefined;
  }
  const [minutes, hours, dayOfMonth, month, dayOfWeek] = fields.map(field =>
    field === '?' ? '*' : field,
  );
  const weekday = dayOfWeek.replace(/\d+/g, day => String(Number(day) - 1));
  return [minutes, hours, dayOfMonth, month, weekday].join(' ');
}

/**
 * Returns the next time a Scheduler expression fires after `now`, or
 * undefined for one-time `at()` schedules, expressions it cannot read, and
 * `rate()` schedules without a start time.
 */
export function nextRunOf(options: {
  expression: string;
  timezone?: string;
  startDate?: Date;
  now?: Date;
}): string | undefined {
  const now = options.now ?? new Date();
  const rate = /^rate\((\d+)\s+(minute|hour|day)s?\)$/.exec(
    options.expression.trim(),
  );
  if (rate) {
    if (!options.startDate) {
      return undefined;
    }
    const interval = Number(rate[1]) * RATE_UNITS_MS[rate[2]];
    const start = options.startDate.getTime();
    const periods = Math.max(
      0,
      Math.floor((now.getTime() - start) / interval) + 1,
    );
    return new Date(start + periods * interval).toISOString();
  }

  const cron = /^cron\((.*)\)$/.exec(options.expression.trim());
  const standard = cron ? toStandardCron(cron[1]) : undefined;
  if (!standard) {
    return undefined;
  }
  try {
    return CronExpressionParser.parse(standard, {
      currentDate: now,
      tz: options.timezone ?? 'UTC',
    })
      .next()
      .toDate()
      .toISOString();
  } catch {
    // Scheduler features cron-parser lacks, such as W, leave the next run unknown.
    return undefined;
  }
}
