/* eslint-disable no-console */
/**
 * Runs the pipeline end to end through the whole sandbox and the real AWS SDK
 * clients, on the public electricity sample. It deploys the dependency and
 * workload stacks, uploads the data and runs the workflow state machine (import, train with
 * backtest export, select, forecast and export), then lists the exports.
 * Prints the wall time of each stage.
 *
 * Run from the package folder:
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/endToEnd.ts [sample.csv]
 */
import fs from 'node:fs';
import {
  CreateStackCommand,
  DescribeStackEventsCommand,
  type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { readTemplateBody } from '@forecast-pipelines/cloudformation';
import {
  outputsOf,
  startTestSandbox,
  waitForStack,
} from '../src/__testUtils__/testSandbox';

const SAMPLE =
  process.argv[2] ??
  '/work/shared/data/forecast-samples/electricity-hourly-3-clients.csv';

const STACK = 'forecast-electricity';
const BUCKET = 'forecast-bench-data';

/** Throws with the stack's failure events unless it reached `expected`. */
async function checkStack(
  client: CloudFormationClient,
  stackName: string,
  status: string | undefined,
  expected: string,
): Promise<void> {
  if (status === expected) {
    return;
  }
  const { StackEvents } = await client.send(
    new DescribeStackEventsCommand({ StackName: stackName }),
  );
  const reasons = (StackEvents ?? [])
    .filter(event => event.ResourceStatus?.endsWith('FAILED'))
    .map(event => `${event.LogicalResourceId}: ${event.ResourceStatusReason}`);
  throw new Error(
    `Stack ${stackName} ended ${status}, not ${expected}:\n${reasons.join(
      '\n',
    )}`,
  );
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await work();
  console.log(`| ${label} | ${((Date.now() - started) / 1000).toFixed(2)} |`);
  return result;
}

async function main() {
  if (!fs.existsSync(SAMPLE)) {
    console.log(`Sample file ${SAMPLE} not found; nothing to measure.`);
    return;
  }
  const test = await startTestSandbox();
  const { cloudFormation, s3, sfn } = test.clients;
  const total = Date.now();
  console.log('| stage | seconds |');
  console.log('|---|---|');
  try {
    await timed('deploy dependency stack', async () => {
      await cloudFormation.send(
        new CreateStackCommand({
          StackName: 'forecast-dependency',
          TemplateBody: readTemplateBody('forecast-dependency'),
          Parameters: [{ ParameterKey: 'BucketName', ParameterValue: BUCKET }],
          Capabilities: ['CAPABILITY_IAM'],
        }),
      );
      const stack = await waitForStack(cloudFormation, 'forecast-dependency');
      await checkStack(
        cloudFormation,
        'forecast-dependency',
        stack.StackStatus,
        'CREATE_COMPLETE',
      );
    });

    const outputs = await timed('deploy workload stack', async () => {
      await s3.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: 'templates/forecast-workload.yaml',
          Body: readTemplateBody('forecast-workload'),
        }),
      );
      const parameters: Record<string, string> = {
        DependencyStackName: 'forecast-dependency',
        DatasetGroupName: 'electricity',
        DataFrequency: 'H',
        TimestampFormat: 'yyyy-MM-dd HH:mm:ss',
        ForecastFrequency: 'H',
        ForecastHorizon: '72',
      };
      await cloudFormation.send(
        new CreateStackCommand({
          StackName: STACK,
          TemplateURL: `${test.sandbox.endpoint}/${BUCKET}/templates/forecast-workload.yaml`,
          Parameters: Object.entries(parameters).map(([key, value]) => ({
            ParameterKey: key,
            ParameterValue: value,
          })),
          Capabilities: ['CAPABILITY_IAM'],
        }),
      );
      const stack = await waitForStack(cloudFormation, STACK);
      await checkStack(
        cloudFormation,
        STACK,
        stack.StackStatus,
        'CREATE_COMPLETE',
      );
      return outputsOf(stack);
    });

    await timed('upload sample data', async () => {
      await s3.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: `${STACK}/input/target/electricity.csv`,
          Body: fs.readFileSync(SAMPLE),
        }),
      );
    });

    const execution = await timed('run workflow', async () => {
      const { executionArn } = await sfn.send(
        new StartExecutionCommand({
          stateMachineArn: outputs.WorkflowStateMachineArn,
          input: '{}',
        }),
      );
      for (;;) {
        const described = await sfn.send(
          new DescribeExecutionCommand({ executionArn }),
        );
        if (described.status !== 'RUNNING') {
          return described;
        }
        await new Promise(resolve => setTimeout(resolve, 100));
      }
    });

    for (const key of [
      'CreateDatasetGroupStateMachineArn',
      'ImportDataStateMachineArn',
      'TrainPredictorStateMachineArn',
      'SelectPredictorStateMachineArn',
      'CreateForecastStateMachineArn',
    ]) {
      const { executions } = await sfn.send(
        new ListExecutionsCommand({ stateMachineArn: outputs[key] }),
      );
      for (const run of executions ?? []) {
        const seconds =
          ((run.stopDate?.getTime() ?? Date.now()) - run.startDate!.getTime()) /
          1000;
        console.log(
          `| &nbsp;&nbsp;${key.replace('StateMachineArn', '')} (${
            run.status
          }) | ${seconds.toFixed(2)} |`,
        );
      }
    }
    console.log(`| total | ${((Date.now() - total) / 1000).toFixed(2)} |\n`);
    console.log(`Workflow status: ${execution.status}`);
    if (execution.status !== 'SUCCEEDED') {
      const { events } = await sfn.send(
        new GetExecutionHistoryCommand({
          executionArn: execution.executionArn,
          reverseOrder: true,
          maxResults: 5,
        }),
      );
      console.log(JSON.stringify(events, null, 1));
    }

    const { Contents } = await s3.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${STACK}/` }),
    );
    console.log('Objects written under the stack prefix:');
    for (const object of Contents ?? []) {
      if (!object.Key!.includes('/input/')) {
        console.log(`  ${object.Key} (${object.Size} bytes)`);
      }
    }
  } finally {
    await test.stop();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
