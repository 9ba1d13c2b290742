/**
 * A generated demo data set: hourly demand of a few dozen items with daily
 * and weekly cycles, a slow trend, and noise. The same
 * seed always gives the same CSV.
 */

/** Options of {@link generateDemoDataset}. */
export interface DemoDatasetOptions {
  /** Number of items; defaults to 36. */
  items?: number;
  /** Days of hourly data; defaults to 120. */
  days?: number;
  /** First timestamp, UTC; defaults to 2024-01-01 00:00. */
  start?: Date;
  /** Seed of the pseudo-random generator; defaults to 42. */
  seed?: number;
}

/** Mulberry32: a small, fast, seedable pseudo-random generator. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function formatHour(time: number): string {
  const d = new Date(time);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(
    d.getUTCDate(),
  )} ${pad(d.getUTCHours())}:00:00`;
}

/**
 * Generates hourly demand as CSV rows `timestamp,target_value,item_id`
 * (no header, timestamps `yyyy-MM-dd HH:mm:ss`), the layout of a CUSTOM
 * domain target time series. Values are non-negative with two decimals.
 */
export function generateDemoDataset(options: DemoDatasetOptions = {}): string {
  const items = options.items ?? 36;
  const days = options.days ?? 120;
  const start = (options.start ?? new Date(Date.UTC(2024, 0, 1))).getTime();
  const random = mulberry32(options.seed ?? 42);
  const lines: string[] = [];

  for (let item = 0; item < items; item++) {
    const id = `item_${String(item + 1).padStart(3, '0')}`;
    const level = 20 + random() * 180;
    const dailyAmplitude = 0.2 + random() * 0.5;
    const peakHour = 8 + random() * 10;
    const weekendFactor = 0.6 + random() * 0.7;
    // Growth per year between -16% and +24%, so levels stay positive.
    const yearlyGrowth = (random() - 0.4) * 0.4;
    const noise = 0.04 + random() * 0.08;
    let persistent = 0;

    for (let hour = 0; hour < days * 24; hour++) {
      const time = start + hour * 3_600_000;
      const date = new Date(time);
      const hourOfDay = date.getUTCHours();
      const weekday = date.getUTCDay();
      const daily =
        1 +
        dailyAmplitude * Math.cos(((hourOfDay - peakHour) / 24) * 2 * Math.PI);
      const weekly = weekday === 0 || weekday === 6 ? weekendFactor : 1;
      persistent = 0.9 * persistent + 0.1 * gaussian(random);
      const value =
        level *
        (1 + (yearlyGrowth * hour) / 8760) *
        daily *
        weekly *
        (1 + noise * (gaussian(random) + 2 * persistent));
      lines.push(`${formatHour(time)},${Math.max(0, value).toFixed(2)},${id}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
