/** The schedule choices of the workload form. */
export type ScheduleChoice = 'none' | 'daily' | 'weekly' | 'monthly' | 'custom';

/**
 * EventBridge Scheduler expressions for the preset choices. All run at 06:00
 * UTC: daily, on Mondays, and on the first day of each month.
 */
const PRESET_EXPRESSIONS: Record<'daily' | 'weekly' | 'monthly', string> = {
  daily: 'cron(0 6 * * ? *)',
  weekly: 'cron(0 6 ? * MON *)',
  monthly: 'cron(0 6 1 * ? *)',
};

const RATE_PATTERN =
  /^rate\(\s*([1-9]\d*)\s+(minute|minutes|hour|hours|day|days)\s*\)$/;

/** Characters allowed per field of an EventBridge cron expression. */
const CRON_FIELDS: Array<{ name: string; pattern: RegExp }> = [
  { name: 'minutes', pattern: /^[0-9,\-*/]+$/ },
  { name: 'hours', pattern: /^[0-9,\-*/]+$/ },
  { name: 'day-of-month', pattern: /^([0-9,\-*/?LW]+)$/ },
  {
    name: 'month',
    pattern: /^([0-9,\-*/]|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)+$/i,
  },
  {
    name: 'day-of-week',
    pattern: /^([0-9,\-*/?L#]|SUN|MON|TUE|WED|THU|FRI|SAT)+$/i,
  },
  { name: 'year', pattern: /^[0-9,\-*/]+$/ },
];

function checkCron(body: string): string | undefined {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) {
    return `has ${fields.length} fields; EventBridge cron needs 6: minutes hours day-of-month month day-of-week year, for example cron(0 6 * * ? *)`;
  }
  for (let i = 0; i < fields.length; i++) {
    if (!CRON_FIELDS[i].pattern.test(fields[i])) {
      return `has an invalid ${CRON_FIELDS[i].name} field "${fields[i]}"`;
    }
  }
  const dayOfMonth = fields[2];
  const dayOfWeek = fields[4];
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    return `must have "?" in exactly one of day-of-month ("${dayOfMonth}") and day-of-week ("${dayOfWeek}")`;
  }
  return undefined;
}

/**
 * Turns the form's schedule choice into the `ScheduleExpression` parameter
 * (empty for none). A custom expression may be `cron(...)`, `rate(...)` or
 * the six cron fields alone. Problems are collected, not thrown.
 */
export function toScheduleExpression(
  choice: ScheduleChoice,
  custom: string | undefined,
  problems: string[],
): string {
  if (choice === 'none') {
    return '';
  }
  if (choice !== 'custom') {
    return PRESET_EXPRESSIONS[choice];
  }

  const text = (custom ?? '').trim();
  if (!text) {
    problems.push(
      'scheduleExpression is missing: a custom schedule needs a cron expression such as cron(0 6 * * ? *)',
    );
    return '';
  }
  if (text.startsWith('rate(')) {
    if (!RATE_PATTERN.test(text)) {
      problems.push(
        `scheduleExpression "${text}" is invalid: a rate is rate(<positive number> <minute(s)|hour(s)|day(s)>), for example rate(12 hours)`,
      );
    }
    return text;
  }

  const body =
    text.startsWith('cron(') && text.endsWith(')') ? text.slice(5, -1) : text;
  const problem = checkCron(body);
  if (problem) {
    problems.push(`scheduleExpression "${text}" ${problem}`);
  }
  return `cron(${body.trim().split(/\s+/).join(' ')})`;
}
