import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
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

  it('runs under node with the Backstage transform', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'worker-pool-'));
    const script = path.join(folder, 'ping.ts');
    fs.writeFileSync(
      script,
      [
        `import { WorkerPool } from ${JSON.stringify(
          path.join(__dirname, 'WorkerPool'),
        )};`,
        'const pool = new WorkerPool(1);',
        "pool.run({ type: 'ping' }).then(async result => {",
        '  process.stdout.write(String(result));',
        '  await pool.close();',
        '});',
      ].join('\n'),
    );
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          '--require',
          require.resolve('@backstage/cli/config/nodeTransform.cjs'),
          script,
        ],
        { timeout: 60_000 },
      );
      expect(stdout).toBe('pong');
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
