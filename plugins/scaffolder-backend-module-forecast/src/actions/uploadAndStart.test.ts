import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import fs from 'node:fs';
import path from 'node:path';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { generateDemoDataset } from '@forecast-pipelines/plugin-forecast-node';
import { createTestContext } from '../__testUtils__/context';
import { startTestSandbox, TestSandbox } from '../__testUtils__/testSandbox';
import { generateSampleDataset } from '../data/sampleDataset';
import { createDeployDependencyAction } from './deployDependency';
import { createDeployWorkloadAction } from './deployWorkload';
import { createStartPipelineAction } from './startPipeline';
import { createUploadDataAction } from './uploadData';

jest.setTimeout(180_000);

const BUCKET = 'forecast-dependency-000000000000-us-east-1';
const STACK = 'forecast-upload-demand';

/** Public AWS sample data, read in place when this checkout has it. */
const ELECTRICITY_FILE = path.resolve(
  __dirname,
  '../../../../../shared/data/forecast-samples/electricity-hourly-3-clients.csv',
);

function toDataUrl(text: string, name: string): string {
  return `data:text/csv;name=${encodeURIComponent(name)};base64,${Buffer.from(
    text,
  ).toString('base64')}`;
}

describe('forecast:data:upload and forecast:pipeline:start', () => {
  let env: TestSandbox;

  beforeAll(async () => {
    env = await startTestSandbox();
    const options = { clientFactory: env.clientFactory, pollIntervalMs: 50 };
    await createDeployDependencyAction(options).handler(
      createTestContext({ input: { owner: 'group:default/guests' } }).context,
    );
    await createDeployWorkloadAction(options).handler(
      createTestContext({
        input: { name: 'upload-demand', owner: 'group:default/guests' },
      }).context,
    );
  });

  afterAll(async () => {
    await env?.close();
  });

  function uploadAction() {
    return createUploadDataAction({
      clientFactory: env.clientFactory,
      sampleDataset: generateSampleDataset,
    });
  }

  async function readObject(key: string): Promise<string> {
    const s3 = await env.clientFactory.s3();
    const object = await s3.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: key }),
    );
    return object.Body!.transformToString();
  }

  it('uploads a form file under the target folder', async () => {
    const csv = generateDemoDataset({ items: 3, days: 20 });
    const { context, outputs, logger } = createTestContext({
      input: {
        stackName: STACK,
        file: toDataUrl(
          `timestamp,target_value,item_id\n${csv}`,
          'three items.csv',
        ),
      },
    });
    await uploadAction().handler(context);

    expect(outputs.key).toBe(`${STACK}/input/target/three_items.csv`);
    expect(outputs.rows).toBe(3 * 20 * 24);
    expect(logger.lines.join('\n')).toContain('it was removed');
    await expect(readObject(outputs.key)).resolves.toBe(csv);
  });

  it('uploads the generated sample data', async () => {
    const { context, outputs } = createTestContext({
      input: { stackName: STACK, source: 'sample' },
    });
    await uploadAction().handler(context);

    expect(outputs.key).toBe(`${STACK}/input/target/sample-hourly-demand.csv`);
    // The workload imports FULL, so the earlier file is replaced.
    expect(outputs.removedKeys).toEqual([
      `${STACK}/input/target/three_items.csv`,
    ]);
    const stored = await readObject(outputs.key);
    expect(stored.split('\n')[0]).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:00:00,[\d.]+,item_\d{3}$/,
    );
  });

  it('keeps earlier files when asked to', async () => {
    const { context, outputs } = createTestContext({
      input: {
        stackName: STACK,
        file: toDataUrl(
          generateDemoDataset({ items: 1, days: 2 }),
          'extra.csv',
        ),
        replaceExisting: false,
      },
    });
    await uploadAction().handler(context);

    expect(outputs.removedKeys).toEqual([]);
    const s3 = await env.clientFactory.s3();
    const listed = await s3.send(
      new ListObjectsV2Command({
        Bucket: BUCKET,
        Prefix: `${STACK}/input/target/`,
      }),
    );
    expect(listed.Contents?.map(object => object.Key).sort()).toEqual([
      `${STACK}/input/target/extra.csv`,
      `${STACK}/input/target/sample-hourly-demand.csv`,
    ]);
  });

  it('rejects a file that does not match the schema', async () => {
    const { context } = createTestContext({
      input: {
        stackName: STACK,
        file: toDataUrl('2024-01-01 00:00:00,3\n', 'short.csv'),
      },
    });
    await expect(uploadAction().handler(context)).rejects.toThrow(
      'row 1 has 2',
    );
  });

  it('rejects an upload to a stack that does not exist', async () => {
    const { context } = createTestContext({
      input: { stackName: 'forecast-missing', source: 'sample' },
    });
    await expect(uploadAction().handler(context)).rejects.toThrow(
      'Stack forecast-missing does not exist',
    );
  });

  it('starts a pipeline once per step and waits for it', async () => {
    const action = createStartPipelineAction({
      clientFactory: env.clientFactory,
      pollIntervalMs: 100,
      heartbeatIntervalMs: 2_000,
    });
    const first = createTestContext({
      input: {
        stackName: STACK,
        pipeline: 'create-dataset-group',
        waitForCompletion: true,
      },
    });
    await action.handler(first.context);
    expect(first.outputs.status).toBe('SUCCEEDED');
    expect(first.outputs.executionArn).toMatch(
      /:execution:forecast-upload-demand-create-dataset-group:backstage-task-1-/,
    );

    // A retried step reuses the execution instead of starting another.
    const retried = createTestContext({
      input: { stackName: STACK, pipeline: 'create-dataset-group' },
    });
    await action.handler(retried.context);
    expect(retried.outputs.executionArn).toBe(first.outputs.executionArn);
    expect(retried.logger.lines.join('\n')).toContain(
      'was already started by an earlier attempt',
    );

    const sfn = await env.clientFactory.stepFunctions();
    const execution = await sfn.send(
      new DescribeExecutionCommand({
        executionArn: first.outputs.executionArn,
      }),
    );
    expect(execution.status).toBe('SUCCEEDED');
  });

  it('does not start anything in a dry run', async () => {
    const action = createStartPipelineAction({
      clientFactory: env.clientFactory,
    });
    const { context, outputs, logger } = createTestContext({
      input: { stackName: STACK },
      isDryRun: true,
    });
    await action.handler(context);
    expect(outputs.executionArn).toBeUndefined();
    expect(logger.lines.join('\n')).toContain(
      'would start pipeline workflow (stack output WorkflowStateMachineArn',
    );
  });

  // The public sample data is read from the shared folder when present.
  (fs.existsSync(ELECTRICITY_FILE) ? describe : describe.skip)(
    'public electricity data set',
    () => {
      it('uploads the public electricity data set and runs the workflow on it', async () => {
        const options = {
          clientFactory: env.clientFactory,
          pollIntervalMs: 100,
        };
        await createDeployWorkloadAction(options).handler(
          createTestContext({
            input: { name: 'electricity', owner: 'group:default/guests' },
          }).context,
        );
        const upload = createTestContext({
          input: {
            stackName: 'forecast-electricity',
            file: toDataUrl(
              fs.readFileSync(ELECTRICITY_FILE, 'utf8'),
              'electricity-hourly-3-clients.csv',
            ),
          },
        });
        await uploadAction().handler(upload.context);
        expect(upload.outputs.rows).toBe(23973);

        const run = createTestContext({
          input: {
            stackName: 'forecast-electricity',
            waitForCompletion: true,
            timeoutMinutes: 5,
          },
        });
        await createStartPipelineAction({
          ...options,
          heartbeatIntervalMs: 5_000,
        }).handler(run.context);
        expect(run.outputs.status).toBe('SUCCEEDED');

        const s3 = await env.clientFactory.s3();
        const exports = await s3.send(
          new ListObjectsV2Command({
            Bucket: BUCKET,
            Prefix: 'forecast-electricity/forecast-exports/',
          }),
        );
        expect(
          (exports.Contents ?? []).some(object => object.Key!.endsWith('.csv')),
        ).toBe(true);
      });
    },
  );
});
