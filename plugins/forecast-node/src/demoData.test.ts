import { generateDemoDataset } from './demoData';

describe('generateDemoDataset', () => {
  it('writes hourly rows per item in the CUSTOM layout', () => {
    const lines = generateDemoDataset({ items: 2, days: 3 }).trim().split('\n');
    expect(lines).toHaveLength(2 * 3 * 24);
    expect(lines[0]).toMatch(/^2024-01-01 00:00:00,\d+\.\d\d,item_001$/);
    expect(lines[72]).toMatch(/^2024-01-01 00:00:00,[\d.]+,item_002$/);
    for (const line of lines) {
      expect(Number(line.split(',')[1])).toBeGreaterThanOrEqual(0);
    }
  });

  it('is reproducible for a seed', () => {
    const options = { items: 3, days: 2, seed: 7 };
    expect(generateDemoDataset(options)).toBe(generateDemoDataset(options));
    expect(generateDemoDataset({ ...options, seed: 8 })).not.toBe(
      generateDemoDataset(options),
    );
  });

  it('defaults to 36 items over 120 days', () => {
    const lines = generateDemoDataset().trim().split('\n');
    expect(lines).toHaveLength(36 * 120 * 24);
    expect(lines[lines.length - 1]).toMatch(
      /^2024-04-29 23:00:00,.*,item_036$/,
    );
  });
});
