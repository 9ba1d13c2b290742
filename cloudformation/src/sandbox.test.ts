import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
// Test only: the sandbox deploys these templates over the AWS wire protocols.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import {
  startSandbox,
  type Sandbox,
} from '@forecast-pipelines/forecast-sandbox';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readTemplateBody } from './index';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const BUCKET = 'forecast-data';
const STACK = 'forecast-daily-demand';

/** Daily values of two items over 120 days, in the default CUSTOM schema order. */
function targetCsv(): string {
  const rows: string[] = [];
  for (const item of ['item_a', 'item_b']) {
    for (let day = 0; day < 120; day++) {
      const date = new Date(Date.UTC(2025, 0, 1) + day * 86_400_000)
        .toISOString()
        .slice(0, 10);
      rows.push(`${date},${(20 + (day % 7) * 2).toFixed(1)},${item}`);
    }
  }
  return `${rows.join('\n')}\n`;
}

async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

// The cases share one sandbox and build on each other, in file order.
describe('pipelines in the sandbox', () => {
  let sandbox: Sandbox;
  let dataDir: string;
  let cloudFormation: CloudFormationClient;
  let s3: S3Client;
  let sfn: SFNClient;
  let outputs: Record<string, string>;

  async function deploy(
    stackName: string,
    template: 'forecast-dependency' | 'forecast-workload',
    parameters: Record<string, string>,
  ): Promise<Stack> {
    const body = readTemplateBody(template);
    let source: { TemplateBody: string } | { TemplateURL: string } = {
      TemplateBody: body,
    };
    if (template === 'forecast-workload') {
      // Larger than the 51,200-byte TemplateBody limit, so it goes via S3.
      await s3.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: 'workload.yaml',
          Body: body,
        }),
      );
      source = { TemplateURL: `${sandbox.endpoint}/${BUCKET}/workload.yaml` };
    }
    await cloudFormation.send(
      new CreateStackCommand({
        StackName: stackName,
        ...source,
        Parameters: Object.entries(parameters).map(([key, value]) => ({
          ParameterKey: key,
          ParameterValue: value,
        })),
        Capabilities: ['CAPABILITY_IAM'],
      }),
    );
    const stack = await waitFor(
      async () =>
        (
          await cloudFormation.send(
            new DescribeStacksCommand({ StackName: stackName }),
          )
        ).Stacks![0],
      current => !current.StackStatus!.endsWith('_IN_PROGRESS'),
      20_000,
    );
    expect([stackName, stack.StackStatus, stack.StackStatusReason]).toEqual([
      stackName,
      'CREATE_COMPLETE',
      undefined,
    ]);
    return stack;
  }

  async function run(
    pipeline: string,
  ): Promise<DescribeExecutionCommandOutput> {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: outputs[pipeline],
        input: '{}',
      }),
    );
    return waitFor(
      () => sfn.send(new DescribeExecutionCommand({ executionArn })),
      execution => execution.status !== 'RUNNING',
      60_000,
    );
  }

  const upload = (key: string, body: string) =>
    s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'forecast-cfn-'));
    sandbox = await startSandbox({ port: 0, dataDir, waitCompression: 1000 });
    const config = {
      endpoint: sandbox.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
      maxAttempts: 1,
    };
    cloudFormation = new CloudFormationClient(config);
    s3 = new S3Client({ ...config, forcePathStyle: true });
    sfn = new SFNClient(config);

    await deploy('forecast-dependency', 'forecast-dependency', {
      BucketName: BUCKET,
    });
    const workload = await deploy(STACK, 'forecast-workload', {
      DependencyStackName: 'forecast-dependency',
      DatasetGroupName: 'daily_demand',
    });
    outputs = Object.fromEntries(
      workload.Outputs!.map(output => [output.OutputKey!, output.OutputValue!]),
    );
  }, 60_000);

  afterAll(async () => {
    await sandbox?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates the dataset group twice', async () => {
    const first = await run('CreateDatasetGroupStateMachineArn');
    const second = await run('CreateDatasetGroupStateMachineArn');

    expect([first.status, first.cause]).toEqual(['SUCCEEDED', undefined]);
    expect([second.status, second.cause]).toEqual(['SUCCEEDED', undefined]);
    expect(JSON.parse(second.output!).DatasetGroupArn).toBe(
      JSON.parse(first.output!).DatasetGroupArn,
    );
  });

  it('fails an import with the row error', async () => {
    await upload(`${STACK}/input/target/sales.csv`, '2025-01-01,abc,item_a\n');

    const result = await run('ImportDataStateMachineArn');

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('DatasetImportJobFailed');
    expect(result.cause).toContain('CREATE_FAILED');
    expect(result.cause).toContain(
      'line 1, column target_value: "abc" is not a valid float',
    );
  });

  it('imports twice on the same day', async () => {
    await upload(`${STACK}/input/target/sales.csv`, targetCsv());

    const first = await run('ImportDataStateMachineArn');
    const second = await run('ImportDataStateMachineArn');

    expect([first.status, first.cause]).toEqual(['SUCCEEDED', undefined]);
    expect([second.status, second.cause]).toEqual(['SUCCEEDED', undefined]);
    const [firstJob] = JSON.parse(first.output!).DatasetImportJobs;
    const [secondJob] = JSON.parse(second.output!).DatasetImportJobs;
    expect(secondJob.DatasetImportJobArn).not.toBe(
      firstJob.DatasetImportJobArn,
    );
  });

  it('fails the selection without a trained predictor', async () => {
    const result = await run('SelectPredictorStateMachineArn');

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('NoEligiblePredictor');
    expect(result.cause).toContain('daily_demand');
  });

  it('forecasts after training and selection', async () => {
    const trained = await run('TrainPredictorStateMachineArn');
    const selected = await run('SelectPredictorStateMachineArn');
    const forecast = await run('CreateForecastStateMachineArn');

    expect([trained.status, trained.cause]).toEqual(['SUCCEEDED', undefined]);
    expect([selected.status, selected.cause]).toEqual(['SUCCEEDED', undefined]);
    expect([forecast.status, forecast.cause]).toEqual(['SUCCEEDED', undefined]);
    expect(JSON.parse(selected.output!).PredictorArn).toBe(
      JSON.parse(trained.output!).PredictorArn,
    );
    const result = JSON.parse(forecast.output!);
    expect(result.ExportPath).toBe(
      `${outputs.ForecastExportPath}${result.RunId}/`,
    );
    expect(result.FileCount).toBeGreaterThan(0);
  });
});
