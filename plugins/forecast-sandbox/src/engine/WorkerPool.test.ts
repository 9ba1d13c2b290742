import { WorkerPool } from './WorkerPool';
import type { SeriesTrainingResult } from './autoModel';

describe('WorkerPool', () => {
  const pool = new WorkerPool(1);
  afterAll(() => pool.close());

  it('runs the TypeScript engine in a worker thread under jest', async () => {
    await expect(pool.run({ type: 'ping' })).resolves.toBe('pong');
  });

  it('trains a series in the worker', async () => {
    const values = Float64Array.from({ length: 24 * 21 }, (_, t) =>
      Math.round(100 + 30 * Math.sin((2 * Math.PI * t) / 24)),
    );
    const [result] = await pool.run<SeriesTrainingResult[]>({
      type: 'train',
      series: [{ values, periods: [24, 168], horizon: 24, metric: 'WAPE' }],
    });
    expect(result.future.mean).toHaveLength(24);
    expect(result.future.mean[6]).toBeCloseTo(130, 0);
  });

  it('reports an error thrown in the worker', async () => {
    await expect(
      pool.run({ type: 'unknown' } as unknown as { type: 'ping' }),
    ).rejects.toThrow('Unknown worker task unknown');
  });
});
