/**
 * Prints how long each action takes against the offline sandbox: dependency
 * create, workload create, a second run with no change, an update, the
 * sample data upload and a full workflow run on a small data set.
 *
 * Run: yarn bench (from this package). Figures depend on the machine.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import {
  generateDemoDataset,
  startSandbox,
} from '@forecast-pipelines/forecast-sandbox';
import { AwsClientFactory } from '@forecast-pipelines/plugin-forecast-node';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  createDeployDependencyAction,
  createDeployWorkloadAction,
  createStartPipelineAction,
  createUploadDataAction,
} from '../src/actions';
import { generateSampleDataset } from '../src/data/sampleDataset';

const silentLogger: LoggerService = {
  error: () => {},
  warn: () => {},
  info: () => {},
  debug: () => {},
  child: () => silentLogger,
};

function context(input: Record<string, unknown>, taskId: string) {
  const outputs: Record<string, unknown> = {};
  return {
    input,
    logger: silentLogger,
    workspacePath: os.tmpdir(),
    task: { id: taskId },
    step: { id: 'bench' },
    output: (name: string, value: unknown) => {
      outputs[name] = value;
    },
    checkpoint: async ({ fn }: { fn: () => Promise<unknown> }) => fn(),
    createTemporaryDirectory: async () => os.tmpdir(),
    getInitiatorCredentials: async () => ({} as never),
    outputs,
  } as any;
}

async function main() {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'forecast-bench-'));
  const sandbox = await startSandbox({ port: 0, dataDir });
  const clientFactory = AwsClientFactory.fromConfig(
    new ConfigReader({
      forecast: {
        aws: {
          accountId: '000000000000',
          region: 'us-east-1',
          endpoint: sandbox.endpoint,
        },
      },
      aws: {
        accounts: [
          {
            accountId: '000000000000',
            accessKeyId: 'sandbox',
            secretAccessKey: 'sandbox',
          },
        ],
      },
    }),
  );
  const options = { clientFactory, sampleDataset: generateSampleDataset };
  const rows: Array<[string, number]> = [];
  let task = 0;
  const time = async (label: string, run: () => Promise<void>) => {
    const startedAt = performance.now();
    await run();
    rows.push([label, performance.now() - startedAt]);
  };
  const owner = 'group:default/guests';
  const workload = { name: 'bench-demand', owner };

  try {
    await time('dependency create', () =>
      createDeployDependencyAction(options).handler(
        context({ owner }, `t${task++}`),
      ),
    );
    await time('workload create', () =>
      createDeployWorkloadAction(options).handler(
        context(workload, `t${task++}`),
      ),
    );
    await time('workload second run (no change)', () =>
      createDeployWorkloadAction(options).handler(
        context(workload, `t${task++}`),
      ),
    );
    await time('workload update (horizon 48)', () =>
      createDeployWorkloadAction(options).handler(
        context({ ...workload, forecastHorizon: 48 }, `t${task++}`),
      ),
    );
    await time('sample data upload (36 items x 120 days)', () =>
      createUploadDataAction(options).handler(
        context(
          { stackName: 'forecast-bench-demand', source: 'sample' },
          `t${task++}`,
        ),
      ),
    );

    await createDeployWorkloadAction(options).handler(
      context({ name: 'bench-small', owner }, `t${task++}`),
    );
    const csv = generateDemoDataset({ items: 3, days: 30 });
    await createUploadDataAction(options).handler(
      context(
        {
          stackName: 'forecast-bench-small',
          file: `data:text/csv;base64,${Buffer.from(csv).toString('base64')}`,
        },
        `t${task++}`,
      ),
    );
    await time('workflow run, wait (3 items x 30 days)', () =>
      createStartPipelineAction(options).handler(
        context(
          { stackName: 'forecast-bench-small', waitForCompletion: true },
          `t${task++}`,
        ),
      ),
    );
  } finally {
    await sandbox.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  }

  console.log(`node ${process.version}, ${os.cpus().length} CPUs`);
  for (const [label, ms] of rows) {
    console.log(`${label.padEnd(44)} ${ms.toFixed(0).padStart(7)} ms`);
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
