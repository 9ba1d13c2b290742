import {
  formatBytes,
  formatDuration,
  formatElapsed,
  formatMetric,
  formatRelative,
  formatStartedBy,
} from './format';

describe('format', () => {
  it('formats durations', () => {
    expect(formatDuration(4_000)).toBe('4s');
    expect(formatDuration(4 * 60_000)).toBe('4m');
    expect(formatDuration(3 * 60_000 + 5_000)).toBe('3m 5s');
    expect(formatDuration(2 * 3_600_000 + 60_000)).toBe('2h 1m');
    expect(formatDuration(-1)).toBe('-');
  });

  it('measures a running execution up to now', () => {
    const now = Date.parse('2026-12-04T10:00:30Z');
    expect(formatElapsed('2026-12-04T10:00:00Z', undefined, now)).toBe('30s');
    expect(
      formatElapsed('2026-12-04T10:00:00Z', '2026-12-04T10:02:00Z', now),
    ).toBe('2m');
  });

  it('formats relative times', () => {
    const now = Date.parse('2026-12-04T12:00:00Z');
    expect(formatRelative('2026-12-04T09:00:00Z', now)).toBe('3 hours ago');
    expect(formatRelative('2026-12-06T12:00:00Z', now)).toBe('in 2 days');
    expect(formatRelative('not a date', now)).toBe('-');
  });

  it('formats sizes and metrics', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(48_213)).toBe('47 KB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB');
    expect(formatMetric(0.084213)).toBe('0.08421');
    expect(formatMetric(undefined)).toBe('-');
  });

  it('shows an unknown start as a dash', () => {
    expect(formatStartedBy(undefined)).toBe('-');
    expect(formatStartedBy('')).toBe('-');
    expect(formatStartedBy('rerun by guest')).toBe('rerun by guest');
  });
});
