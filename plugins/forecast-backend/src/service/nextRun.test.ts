import { nextRunOf } from './nextRun';

describe('nextRunOf', () => {
  const now = new Date('2026-12-04T17:00:00Z'); // a Friday

  it('finds the next weekly cron run', () => {
    expect(nextRunOf({ expression: 'cron(0 6 ? * MON *)', now })).toBe(
      '2026-12-07T06:00:00.000Z',
    );
  });

  it('reads numeric weekdays with Sunday as 1', () => {
    expect(nextRunOf({ expression: 'cron(30 5 ? * 1 *)', now })).toBe(
      '2026-12-06T05:30:00.000Z',
    );
  });

  it('honours the schedule time zone', () => {
    expect(
      nextRunOf({
        expression: 'cron(0 6 * * ? *)',
        timezone: 'Europe/Berlin',
        now,
      }),
    ).toBe('2026-12-05T05:00:00.000Z');
  });

  it('counts rate periods from the start date', () => {
    expect(
      nextRunOf({
        expression: 'rate(6 hours)',
        startDate: new Date('2026-12-04T00:00:00Z'),
        now,
      }),
    ).toBe('2026-12-04T18:00:00.000Z');
  });

  it('returns undefined for at() and unreadable expressions', () => {
    expect(
      nextRunOf({ expression: 'at(2026-12-24T10:00:00)', now }),
    ).toBeUndefined();
    expect(nextRunOf({ expression: 'cron(0 6 * *)', now })).toBeUndefined();
    expect(nextRunOf({ expression: 'rate(1 day)', now })).toBeUndefined();
  });
});
