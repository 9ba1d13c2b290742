import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import {
  fixture,
  outputsOf,
  sandboxClients,
  startTestSandbox,
  type TestSandbox,
  waitForStack,
} from './__testUtils__/testSandbox';
import { startSandbox } from './server';

const ROLE_ARN = 'arn:aws:iam::000000000000:role/test';

/** A template whose 120 parameters are created one after the other. */
function slowTemplate(): string {
  const lines = ['Resources:'];
  for (let i = 0; i < 120; i++) {
    lines.push(`  P${i}:`, '    Type: AWS::SSM::Parameter');
    if (i > 0) lines.push(`    DependsOn: P${i - 1}`);
    lines.push(
      `    Properties: { Name: /slow/p${i}, Type: String, Value: v${i} }`,
    );
  }
  return lines.join('\n');
}

/** Starts `yarn sandbox` in a child process and returns its endpoint. */
async function startChild(
  dataDir: string,
): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(
    process.execPath,
    [
      '--require',
      '@backstage/cli/config/nodeTransform.cjs',
      'src/cli.ts',
      '--port',
      '0',
      '--data-dir',
      dataDir,
    ],
    { cwd: path.resolve(__dirname, '..'), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const endpoint = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', chunk => {
      output += chunk;
      const match = /Endpoint: (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.stderr!.on('data', chunk => {
      output += chunk;
    });
    child.once('exit', code =>
      reject(new Error(`The sandbox exited with ${code}: ${output}`)),
    );
  });
  return { child, endpoint };
}

describe('restart', () => {
  let test: TestSandbox;

  afterEach(async () => {
    await test?.stop();
  });

  it('keeps everything that completed', async () => {
    test = await startTestSandbox();
    const { cloudFormation, s3, ssm, sfn } = test.clients;
    await cloudFormation.send(
      new CreateStackCommand({
        StackName: 'kept',
        TemplateBody: fixture('storage.yaml'),
        Parameters: [
          { ParameterKey: 'BucketName', ParameterValue: 'kept-data' },
        ],
        Capabilities: ['CAPABILITY_NAMED_IAM'],
      }),
    );
    const stack = await waitForStack(cloudFormation, 'kept');
    await s3.send(
      new PutObjectCommand({
        Bucket: 'kept-data',
        Key: 'input/a.csv',
        Body: 'a,b\n1,2\n',
      }),
    );
    await ssm.send(
      new PutParameterCommand({
        Name: '/kept/value',
        Value: 'v',
        Type: 'String',
      }),
    );
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: 'kept',
        roleArn: ROLE_ARN,
        definition: JSON.stringify({
          StartAt: 'A',
          States: { A: { Type: 'Pass', Result: { ok: true }, End: true } },
        }),
      }),
    );
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, input: '{}' }),
    );
    for (let i = 0; i < 100; i++) {
      const { status } = await sfn.send(
        new DescribeExecutionCommand({ executionArn }),
      );
      if (status !== 'RUNNING') break;
      await new Promise(resolve => setTimeout(resolve, 20));
    }

    await test.restart();
    const clients = test.clients;
    const { Stacks } = await clients.cloudFormation.send(
      new DescribeStacksCommand({ StackName: 'kept' }),
    );
    expect(Stacks![0].StackStatus).toBe('CREATE_COMPLETE');
    expect(outputsOf(Stacks![0])).toEqual(outputsOf(stack));
    const { StackEvents } = await clients.cloudFormation.send(
      new DescribeStackEventsCommand({ StackName: 'kept' }),
    );
    expect(StackEvents![0].ResourceStatus).toBe('CREATE_COMPLETE');
    const object = await clients.s3.send(
      new GetObjectCommand({ Bucket: 'kept-data', Key: 'input/a.csv' }),
    );
    expect(await object.Body!.transformToString()).toBe('a,b\n1,2\n');
    const { Parameter } = await clients.ssm.send(
      new GetParameterCommand({ Name: '/kept/value' }),
    );
    expect(Parameter!.Value).toBe('v');
    const execution = await clients.sfn.send(
      new DescribeExecutionCommand({ executionArn }),
    );
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output!)).toEqual({ ok: true });
  });

  it('marks work cut short by a kill as failed', async () => {
    const dataDir = fs.mkdtempSync(
      path.join(os.tmpdir(), 'forecast-sandbox-kill-'),
    );
    const { child, endpoint } = await startChild(dataDir);
    const clients = sandboxClients(endpoint);

    const { stateMachineArn } = await clients.sfn.send(
      new CreateStateMachineCommand({
        name: 'slow',
        roleArn: ROLE_ARN,
        // One hour of waiting lasts 3.6 s at the default compression of 1000.
        definition: JSON.stringify({
          StartAt: 'Pause',
          States: { Pause: { Type: 'Wait', Seconds: 3600, End: true } },
        }),
      }),
    );
    const { executionArn } = await clients.sfn.send(
      new StartExecutionCommand({ stateMachineArn, input: '{}' }),
    );
    await clients.cloudFormation.send(
      new CreateStackCommand({
        StackName: 'cut-short',
        TemplateBody: slowTemplate(),
      }),
    );
    const exited = new Promise(resolve => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    const sandbox = await startSandbox({ port: 0, dataDir });
    test = {
      sandbox,
      clients: sandboxClients(sandbox.endpoint),
      dataDir,
      restart: async () => {},
      stop: async () => {
        await sandbox.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
    const { cloudFormation, sfn } = test.clients;

    const { Stacks } = await cloudFormation.send(
      new DescribeStacksCommand({ StackName: 'cut-short' }),
    );
    expect(Stacks![0].StackStatus).toBe('CREATE_FAILED');
    expect(Stacks![0].StackStatusReason).toContain(
      'The sandbox stopped while this operation was in progress',
    );

    const execution = await sfn.send(
      new DescribeExecutionCommand({ executionArn }),
    );
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('Sandbox.Restarted');
    const { events } = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn }),
    );
    expect(events![events!.length - 1].type).toBe('ExecutionFailed');

    // The stopped sandbox's data is still usable: new work runs.
    await cloudFormation.send(
      new CreateStackCommand({
        StackName: 'after-kill',
        TemplateBody: 'Resources:\n  T:\n    Type: AWS::SNS::Topic\n',
      }),
    );
    expect((await waitForStack(cloudFormation, 'after-kill')).StackStatus).toBe(
      'CREATE_COMPLETE',
    );
  }, 60_000);
});
