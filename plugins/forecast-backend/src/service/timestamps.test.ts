import { timestampParser } from './timestamps';
import { isUnder, parseS3Path } from './s3Paths';

describe('timestampParser', () => {
  it('reads the default hourly format', () => {
    const parse = timestampParser('yyyy-MM-dd HH:mm:ss');
    expect(parse('2026-03-01 13:45:00')).toBe('2026-03-01T13:45:00Z');
  });

  it('reads a date format with or without a time', () => {
    const parse = timestampParser('yyyy-MM-dd');
    expect(parse('2026-03-01')).toBe('2026-03-01T00:00:00Z');
    expect(parse('2026-03-01 06:00:00')).toBe('2026-03-01T06:00:00Z');
  });

  it('returns undefined for a header or a bad value', () => {
    const parse = timestampParser('yyyy-MM-dd');
    expect(parse('timestamp')).toBeUndefined();
    expect(parse('01/03/2026')).toBeUndefined();
  });

  it('rejects unknown pattern letters', () => {
    expect(() => timestampParser('yyyy-MM-dd EEE')).toThrow(
      /Unsupported TimestampFormat/,
    );
  });
});

describe('parseS3Path', () => {
  it('treats the path as a folder', () => {
    expect(parseS3Path('s3://b/stack/forecast-exports', 'p')).toEqual({
      bucket: 'b',
      prefix: 'stack/forecast-exports/',
    });
  });

  it('checks folder containment', () => {
    const root = parseS3Path('s3://b/stack/forecast-exports/', 'p');
    expect(
      isUnder(parseS3Path('s3://b/stack/forecast-exports/run1', 'p'), root),
    ).toBe(true);
    expect(
      isUnder(parseS3Path('s3://b/other/forecast-exports/run1', 'p'), root),
    ).toBe(false);
    expect(
      isUnder(parseS3Path('s3://c/stack/forecast-exports/run1', 'p'), root),
    ).toBe(false);
  });

  it('rejects a path without the s3 scheme', () => {
    expect(() => parseS3Path('https://b/x', 'ForecastExportPath')).toThrow(
      /ForecastExportPath/,
    );
  });
});
