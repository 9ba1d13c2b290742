import {
  addPeriods,
  bucketStart,
  parseFrequency,
  periodsBetween,
  seasonalPeriods,
} from './frequency';

describe('frequencies', () => {
  it('parses Forecast frequencies and their multiples', () => {
    expect(parseFrequency('H')).toEqual({ unit: 'H', count: 1, text: 'H' });
    expect(parseFrequency('15min')).toMatchObject({ unit: 'min', count: 15 });
    expect(parseFrequency('2W')).toMatchObject({ unit: 'W', count: 2 });
    expect(parseFrequency('min')).toBeUndefined();
    expect(parseFrequency('24H')).toBeUndefined();
    expect(parseFrequency('2Y')).toBeUndefined();
    expect(parseFrequency('hourly')).toBeUndefined();
  });

  it('starts weeks on Monday and months on the 1st', () => {
    // 2024-01-03 was a Wednesday.
    const wednesday = Date.UTC(2024, 0, 3, 15);
    expect(bucketStart(wednesday, parseFrequency('W')!)).toBe(
      Date.UTC(2024, 0, 1),
    );
    expect(bucketStart(wednesday, parseFrequency('M')!)).toBe(
      Date.UTC(2024, 0, 1),
    );
    expect(bucketStart(wednesday, parseFrequency('H')!)).toBe(wednesday);
    expect(bucketStart(wednesday + 59_000, parseFrequency('15min')!)).toBe(
      wednesday,
    );
  });

  it('steps through calendar months', () => {
    const month = parseFrequency('M')!;
    const january = Date.UTC(2024, 0, 1);
    expect(addPeriods(january, month, 13)).toBe(Date.UTC(2025, 1, 1));
    expect(periodsBetween(january, Date.UTC(2025, 1, 1), month)).toBe(13);
  });

  it('models daily and weekly seasons for hourly data', () => {
    expect(seasonalPeriods(parseFrequency('H')!)).toEqual([24, 168]);
    expect(seasonalPeriods(parseFrequency('30min')!)).toEqual([48, 336]);
    expect(seasonalPeriods(parseFrequency('D')!)).toEqual([7]);
    expect(seasonalPeriods(parseFrequency('M')!)).toEqual([12]);
  });
});
