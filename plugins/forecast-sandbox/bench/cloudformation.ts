/* eslint-disable no-console */
/**
 * Scale of the sandbox CloudFormation service through the real client: one
 * dependency stack and N workload stacks of the project's templates
 * (default 10), deployed one after the other, then the time of
 * DescribeStacks, DescribeStackEvents, a no-op UpdateStack and of a
 * sandbox restart that loads them all back.
 *
 * Run from the package folder:
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/cloudformation.ts [workloads]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { readTemplateBody } from '@forecast-pipelines/cloudformation';
import { startSandbox } from '../src/server';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

function clients(endpoint: string) {
  const config = {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
    maxAttempts: 1,
  };
  return {
    cloudFormation: new CloudFormationClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
  };
}

async function waitForStack(
  client: CloudFormationClient,
  name: string,
): Promise<string> {
  for (;;) {
    const { Stacks } = await client.send(
      new DescribeStacksCommand({ StackName: name }),
    );
    const status = Stacks![0].StackStatus!;
    if (!status.endsWith('_IN_PROGRESS')) return status;
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

async function timed(
  label: string,
  runs: number,
  action: () => Promise<unknown>,
): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await action();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(
    `${label}: median ${median.toFixed(1)} ms, max ${times[
      times.length - 1
    ].toFixed(1)} ms over ${runs} runs`,
  );
}

async function main() {
  const workloads = Number(process.argv[2] ?? 10);
  const dataDir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'bench-cloudformation-'),
  );
  let sandbox = await startSandbox({ port: 0, dataDir });
  const first = clients(sandbox.endpoint);
  const s3 = first.s3;
  let cloudFormation = first.cloudFormation;

  let start = performance.now();
  await cloudFormation.send(
    new CreateStackCommand({
      StackName: 'forecast-dependency',
      TemplateBody: readTemplateBody('forecast-dependency'),
      Parameters: [
        { ParameterKey: 'BucketName', ParameterValue: 'bench-data' },
      ],
      Capabilities: ['CAPABILITY_IAM'],
    }),
  );
  console.log(
    `dependency stack: ${await waitForStack(
      cloudFormation,
      'forecast-dependency',
    )} in ${(performance.now() - start).toFixed(0)} ms`,
  );

  await s3.send(
    new PutObjectCommand({
      Bucket: 'bench-data',
      Key: 'workload.yaml',
      Body: readTemplateBody('forecast-workload'),
    }),
  );
  const templateUrl = `${sandbox.endpoint}/bench-data/workload.yaml`;
  const parameters = (index: number) => [
    {
      ParameterKey: 'DependencyStackName',
      ParameterValue: 'forecast-dependency',
    },
    { ParameterKey: 'DatasetGroupName', ParameterValue: `workload_${index}` },
    { ParameterKey: 'ScheduleExpression', ParameterValue: 'rate(7 days)' },
  ];
  const deployTimes: number[] = [];
  for (let i = 0; i < workloads; i++) {
    start = performance.now();
    await cloudFormation.send(
      new CreateStackCommand({
        StackName: `forecast-workload-${i}`,
        TemplateURL: templateUrl,
        Parameters: parameters(i),
        Capabilities: ['CAPABILITY_IAM'],
      }),
    );
    const status = await waitForStack(cloudFormation, `forecast-workload-${i}`);
    if (status !== 'CREATE_COMPLETE')
      throw new Error(`forecast-workload-${i} ended ${status}`);
    deployTimes.push(performance.now() - start);
  }
  deployTimes.sort((a, b) => a - b);
  console.log(
    `workload stack deploy (${workloads} stacks, 33 resources each with a schedule and no email): median ${deployTimes[
      Math.floor(workloads / 2)
    ].toFixed(0)} ms, max ${deployTimes[workloads - 1].toFixed(0)} ms`,
  );

  await timed('DescribeStacks, all stacks', 20, () =>
    cloudFormation.send(new DescribeStacksCommand({})),
  );
  await timed('DescribeStacks, one stack', 20, () =>
    cloudFormation.send(
      new DescribeStacksCommand({ StackName: 'forecast-workload-0' }),
    ),
  );
  await timed('DescribeStackEvents, one stack', 20, () =>
    cloudFormation.send(
      new DescribeStackEventsCommand({ StackName: 'forecast-workload-0' }),
    ),
  );
  await timed('UpdateStack with no changes (rejected)', 5, () =>
    cloudFormation
      .send(
        new UpdateStackCommand({
          StackName: 'forecast-workload-0',
          TemplateURL: templateUrl,
          Parameters: parameters(0),
          Capabilities: ['CAPABILITY_IAM'],
        }),
      )
      .catch(error => {
        if (error.message !== 'No updates are to be performed.') throw error;
      }),
  );

  await sandbox.close();
  start = performance.now();
  sandbox = await startSandbox({ port: 0, dataDir });
  console.log(
    `restart with ${workloads + 1} stacks: ${(
      performance.now() - start
    ).toFixed(0)} ms`,
  );
  cloudFormation = clients(sandbox.endpoint).cloudFormation;
  const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({}));
  console.log(`stacks after restart: ${Stacks!.length}`);

  await sandbox.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
