import { nextFireTime, parseScheduleExpression } from './scheduleExpression';

describe('schedule expressions', () => {
  const at = (iso: string) => new Date(iso);

  it('counts rate intervals from the start', () => {
    const rate = parseScheduleExpression('rate(2 hours)');
    expect(
      nextFireTime(
        rate,
        at('2026-01-01T03:30:00Z'),
        at('2026-01-01T00:00:00Z'),
      ),
    ).toEqual(at('2026-01-01T04:00:00Z'));
  });

  it('reads AWS day-of-week numbers with Sunday as 1', () => {
    const cron = parseScheduleExpression('cron(0 6 ? * 2 *)');
    // 2026-01-01 is a Thursday; the next Monday is 2026-01-05.
    expect(
      nextFireTime(
        cron,
        at('2026-01-01T00:00:00Z'),
        at('2026-01-01T00:00:00Z'),
      ),
    ).toEqual(at('2026-01-05T06:00:00Z'));
  });

  it('applies the year field and the time zone', () => {
    const cron = parseScheduleExpression('cron(30 9 1 * ? 2027)');
    expect(
      nextFireTime(
        cron,
        at('2026-06-15T00:00:00Z'),
        at('2026-06-15T00:00:00Z'),
        'Europe/Paris',
      ),
    ).toEqual(at('2027-01-01T08:30:00Z'));
  });

  it('fires an at() schedule once', () => {
    const once = parseScheduleExpression('at(2026-03-01T12:00:00)');
    expect(
      nextFireTime(
        once,
        at('2026-01-01T00:00:00Z'),
        at('2026-01-01T00:00:00Z'),
      ),
    ).toEqual(at('2026-03-01T12:00:00Z'));
    expect(
      nextFireTime(
        once,
        at('2026-03-02T00:00:00Z'),
        at('2026-01-01T00:00:00Z'),
      ),
    ).toBeUndefined();
  });

  it.each([
    ['rate(0 minutes)', 'positive whole number'],
    ['cron(0 6 * * *)', '6 fields'],
    ['cron(0 25 * * ? *)', '25'],
    ['cron(0 6 ? * 8 *)', 'outside 1-7'],
    ['every day', 'use rate(value unit)'],
  ])('rejects %s', (expression, rule) => {
    expect(() => parseScheduleExpression(expression)).toThrow(rule);
  });
});
