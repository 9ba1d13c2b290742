/* eslint-disable no-console */
/**
 * Scale of the sandbox Forecast service on generated hourly data: import,
 * train, forecast and export time and peak memory for N series of one year,
 * and training time against series count.
 *
 * Run from the package folder:
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/scale.ts [series...]
 * The default series counts are 125 250 500 1000.
 */
import os from 'node:os';
import { generateDemoDataset } from '@forecast-pipelines/plugin-forecast-node';
import {
  createFixture,
  createGroup,
  importData,
  ROLE,
} from '../src/forecast/__testUtils__/fixture';

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

async function run(items: number) {
  const fixture = await createFixture();
  peakRss = process.memoryUsage().rss;
  try {
    const csv = generateDemoDataset({ items, days: 365, seed: items });
    await fixture.put('scale/target.csv', csv);
    const megabytes = Buffer.byteLength(csv) / 1e6;

    const { DatasetArn, DatasetGroupArn } = await createGroup(fixture);
    let started = Date.now();
    const job = await importData(fixture, DatasetArn, 'scale/');
    if (job.Status !== 'ACTIVE') {
      throw new Error(`Import failed: ${job.Message}`);
    }
    const importMs = Date.now() - started;

    started = Date.now();
    // CPU time of the whole process (all threads) is less affected than
    // wall time by other work on the machine.
    const cpuBefore = process.cpuUsage();
    const { PredictorArn } = await fixture.call('CreateAutoPredictor', {
      PredictorName: 'scale',
      ForecastHorizon: 72,
      ForecastFrequency: 'H',
      DataConfig: { DatasetGroupArn },
    });
    await fixture.service.whenIdle();
    const trainMs = Date.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const trainCpuMs = (cpu.user + cpu.system) / 1000;

    started = Date.now();
    const { ForecastArn } = await fixture.call('CreateForecast', {
      ForecastName: 'scale',
      PredictorArn,
    });
    await fixture.service.whenIdle();
    await fixture.call('CreateForecastExportJob', {
      ForecastExportJobName: 'scale',
      ForecastArn,
      Destination: { S3Config: { Path: 's3://data/exports/', RoleArn: ROLE } },
    });
    await fixture.service.whenIdle();
    const forecastMs = Date.now() - started;

    return {
      items,
      megabytes,
      importMs,
      trainMs,
      trainCpuMs,
      forecastMs,
      peak: peakRss,
    };
  } finally {
    await fixture.close();
  }
}

async function main() {
  const counts = process.argv.slice(2).map(Number);
  const series = counts.length > 0 ? counts : [125, 250, 500, 1000];
  console.log(
    `Node ${process.version}, ${os.cpus().length} cores (${
      os.cpus()[0]?.model
    }), 1 worker thread`,
  );
  console.log(
    '| series | CSV MB | import s | train s | train CPU s | train CPU ms/series | forecast+export s | peak RSS MB |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const items of series) {
    const r = await run(items);
    console.log(
      `| ${r.items} | ${r.megabytes.toFixed(0)} | ${(r.importMs / 1000).toFixed(
        1,
      )} | ${(r.trainMs / 1000).toFixed(1)} | ${(r.trainCpuMs / 1000).toFixed(
        1,
      )} | ${(r.trainCpuMs / r.items).toFixed(0)} | ${(
        r.forecastMs / 1000
      ).toFixed(1)} | ${(r.peak / 1e6).toFixed(0)} |`,
    );
  }
  clearInterval(sampler);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
