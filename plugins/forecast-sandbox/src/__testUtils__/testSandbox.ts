import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CloudFormationClient,
  DescribeStacksCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { type Sandbox, type SandboxOptions, startSandbox } from '../server';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** Real AWS SDK v3 clients pointed at a sandbox. */
export function sandboxClients(endpoint: string) {
  const config = {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
    maxAttempts: 1,
  };
  return {
    cloudFormation: new CloudFormationClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    ssm: new SSMClient(config),
    sns: new SNSClient(config),
    scheduler: new SchedulerClient(config),
    sfn: new SFNClient(config),
    sts: new STSClient(config),
  };
}

export type SandboxClients = ReturnType<typeof sandboxClients>;

/** A sandbox on a free port with a fresh data folder, and clients for it. */
export interface TestSandbox {
  sandbox: Sandbox;
  clients: SandboxClients;
  dataDir: string;
  /** Stops the sandbox and starts a new one on the same data folder. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestSandbox(
  options: SandboxOptions = {},
): Promise<TestSandbox> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'forecast-sandbox-'));
  const start = () =>
    startSandbox({ port: 0, dataDir, waitCompression: 1000, ...options });
  const test: TestSandbox = {
    sandbox: await start(),
    clients: undefined as unknown as SandboxClients,
    dataDir,
    async restart() {
      await test.sandbox.close();
      test.sandbox = await start();
      test.clients = sandboxClients(test.sandbox.endpoint);
    },
    async stop() {
      await test.sandbox.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  test.clients = sandboxClients(test.sandbox.endpoint);
  return test;
}

/** Polls DescribeStacks until the stack leaves every *_IN_PROGRESS state. */
export async function waitForStack(
  client: CloudFormationClient,
  stackName: string,
  timeoutMs = 20_000,
): Promise<Stack> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Stacks } = await client.send(
      new DescribeStacksCommand({ StackName: stackName }),
    );
    const stack = Stacks![0];
    if (!stack.StackStatus!.endsWith('_IN_PROGRESS')) {
      return stack;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Stack ${stackName} is still ${stack.StackStatus} after ${timeoutMs} ms`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

/** Reads a fixture template from `src/cloudformation/__fixtures__`. */
export function fixture(name: string): string {
  return fs.readFileSync(
    path.join(__dirname, '..', 'cloudformation', '__fixtures__', name),
    'utf8',
  );
}

/** Outputs of a described stack as a plain object. */
export function outputsOf(stack: Stack): Record<string, string> {
  return Object.fromEntries(
    (stack.Outputs ?? []).map(o => [o.OutputKey!, o.OutputValue!]),
  );
}
