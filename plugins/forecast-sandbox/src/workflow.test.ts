import { CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { readTemplateBody } from '@forecast-pipelines/cloudformation';
import {
  outputsOf,
  startTestSandbox,
  type TestSandbox,
  waitForStack,
} from './__testUtils__/testSandbox';

/** Daily demand of three items over 150 days: a weekly cycle, a trend and noise. */
function targetCsv(): string {
  const rows: string[] = [];
  let seed = 7;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  for (const [index, item] of ['item_a', 'item_b', 'item_c'].entries()) {
    for (let day = 0; day < 150; day++) {
      const date = new Date(Date.UTC(2025, 0, 1) + day * 86_400_000)
        .toISOString()
        .slice(0, 10);
      const value =
        20 +
        index * 10 +
        day * 0.05 +
        6 * Math.sin((2 * Math.PI * day) / 7) +
        random() * 3;
      rows.push(`${date},${value.toFixed(2)},${item}`);
    }
  }
  return `${rows.join('\n')}\n`;
}

async function waitForExecution(
  test: TestSandbox,
  executionArn: string,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const execution = await test.clients.sfn.send(
      new DescribeExecutionCommand({ executionArn }),
    );
    if (execution.status !== 'RUNNING' || Date.now() > deadline)
      return execution;
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}

describe('workload workflow', () => {
  let test: TestSandbox;

  beforeAll(async () => {
    test = await startTestSandbox();
  });

  afterAll(async () => {
    await test.stop();
  });

  it('runs the deployed workflow end to end', async () => {
    const { cloudFormation, s3, sfn } = test.clients;
    await cloudFormation.send(
      new CreateStackCommand({
        StackName: 'forecast-dependency',
        TemplateBody: readTemplateBody('forecast-dependency'),
        Parameters: [
          { ParameterKey: 'BucketName', ParameterValue: 'forecast-data' },
        ],
        Capabilities: ['CAPABILITY_IAM'],
      }),
    );
    expect(
      (await waitForStack(cloudFormation, 'forecast-dependency')).StackStatus,
    ).toBe('CREATE_COMPLETE');
    await s3.send(
      new PutObjectCommand({
        Bucket: 'forecast-data',
        Key: 'templates/workload.yaml',
        Body: readTemplateBody('forecast-workload'),
      }),
    );
    await cloudFormation.send(
      new CreateStackCommand({
        StackName: 'forecast-daily-demand',
        TemplateURL: `${test.sandbox.endpoint}/forecast-data/templates/workload.yaml`,
        Parameters: [
          {
            ParameterKey: 'DependencyStackName',
            ParameterValue: 'forecast-dependency',
          },
          { ParameterKey: 'DatasetGroupName', ParameterValue: 'daily_demand' },
          {
            ParameterKey: 'NotificationEmail',
            ParameterValue: 'ops@example.com',
          },
        ],
        Capabilities: ['CAPABILITY_IAM'],
      }),
    );
    const workload = await waitForStack(
      cloudFormation,
      'forecast-daily-demand',
    );
    expect(workload.StackStatus).toBe('CREATE_COMPLETE');
    const outputs = outputsOf(workload);

    const input = new URL(outputs.InputDataPath);
    await s3.send(
      new PutObjectCommand({
        Bucket: input.host,
        Key: `${input.pathname.slice(1)}target/sales.csv`,
        Body: targetCsv(),
      }),
    );
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: outputs.WorkflowStateMachineArn,
        input: '{}',
      }),
    );
    const execution = await waitForExecution(test, executionArn!, 240_000);
    if (execution.status !== 'SUCCEEDED') {
      const { events } = await sfn.send(
        new GetExecutionHistoryCommand({
          executionArn,
          reverseOrder: true,
          maxResults: 5,
        }),
      );
      throw new Error(
        `Workflow ${execution.status}: ${execution.error}: ${
          execution.cause
        }\n${JSON.stringify(events, null, 1)}`,
      );
    }

    const exportPath = new URL(outputs.ForecastExportPath);
    const { Contents } = await s3.send(
      new ListObjectsV2Command({
        Bucket: exportPath.host,
        Prefix: exportPath.pathname.slice(1),
      }),
    );
    expect((Contents ?? []).some(o => o.Key!.endsWith('.csv'))).toBe(true);
    const messages = test.sandbox.publishedMessages(
      outputs.NotificationTopicArn,
    );
    expect(messages.length).toBeGreaterThan(0);
    expect(messages[messages.length - 1].deliveredTo).toEqual([
      'email:ops@example.com',
    ]);
  }, 300_000);
});
