/* eslint-disable no-console */
/**
 * Scale of the sandbox Step Functions service through the real SFN client:
 * 6 state machines with N executions each (default 1000), then the time of
 * ListExecutions paging, DescribeExecution, GetExecutionHistory and of a
 * sandbox restart that loads them all back.
 *
 * Run from the package folder:
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/stepfunctions.ts [executions]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { startSandbox, type Sandbox } from '../src/server';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const MACHINES = 6;
const CONCURRENT_STARTS = 50;

// A short poll loop like the project's pipelines: Pass, Wait, Choice.
const DEFINITION = {
  StartAt: 'Start',
  States: {
    Start: {
      Type: 'Pass',
      Result: { polls: 0 },
      ResultPath: '$.state',
      Next: 'Wait',
    },
    Wait: { Type: 'Wait', Seconds: 30, Next: 'Count' },
    Count: {
      Type: 'Pass',
      Parameters: { 'polls.$': 'States.MathAdd($.state.polls, 1)' },
      ResultPath: '$.state',
      Next: 'Done?',
    },
    'Done?': {
      Type: 'Choice',
      Choices: [
        {
          Variable: '$.state.polls',
          NumericGreaterThanEquals: 3,
          Next: 'Done',
        },
      ],
      Default: 'Wait',
    },
    Done: { Type: 'Succeed' },
  },
};

function client(sandbox: Sandbox) {
  return new SFNClient({
    endpoint: sandbox.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
    maxAttempts: 1,
  });
}

async function startBatch(
  sfn: SFNClient,
  batch: { stateMachineArn: string; name: string }[],
): Promise<string[]> {
  const started = await Promise.all(
    batch.map(request => sfn.send(new StartExecutionCommand(request))),
  );
  return started.map(output => output.executionArn!);
}

async function waitForAll(sfn: SFNClient, machineArns: string[]) {
  for (;;) {
    const pages = await Promise.all(
      machineArns.map(stateMachineArn =>
        sfn.send(
          new ListExecutionsCommand({
            stateMachineArn,
            statusFilter: 'RUNNING',
            maxResults: 1,
          }),
        ),
      ),
    );
    if (pages.every(page => page.executions!.length === 0)) {
      return;
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  const result = await work();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`${label.padEnd(52)} ${ms.toFixed(1).padStart(9)} ms`);
  return result;
}

async function main() {
  const executions = Number(process.argv[2] ?? 1000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfn-bench-'));
  let sandbox = await startSandbox({ port: 0, dataDir, waitCompression: 1000 });
  let sfn = client(sandbox);
  console.log(
    `${MACHINES} state machines x ${executions} executions, ${
      os.cpus().length
    } CPUs, Node ${process.version}`,
  );

  try {
    const machineArns: string[] = [];
    for (let m = 0; m < MACHINES; m++) {
      const { stateMachineArn } = await sfn.send(
        new CreateStateMachineCommand({
          name: `bench-${m}`,
          definition: JSON.stringify(DEFINITION),
          roleArn: 'arn:aws:iam::000000000000:role/bench',
        }),
      );
      machineArns.push(stateMachineArn!);
    }

    const arns: string[] = [];
    await timed(`start ${MACHINES * executions} executions`, async () => {
      const requests = machineArns.flatMap(stateMachineArn =>
        Array.from({ length: executions }, (_, i) => ({
          stateMachineArn,
          name: `run-${i}`,
        })),
      );
      for (let i = 0; i < requests.length; i += CONCURRENT_STARTS) {
        const batch = requests.slice(i, i + CONCURRENT_STARTS);
        arns.push(...(await startBatch(sfn, batch)));
      }
    });

    await timed('wait until every execution has ended', () =>
      waitForAll(sfn, machineArns),
    );

    const measureReads = async (label: string) => {
      await timed(`${label}: ListExecutions first page (100)`, () =>
        sfn.send(
          new ListExecutionsCommand({ stateMachineArn: machineArns[0] }),
        ),
      );
      await timed(
        `${label}: ListExecutions all pages of one machine`,
        async () => {
          let nextToken: string | undefined;
          let count = 0;
          do {
            const page = await sfn.send(
              new ListExecutionsCommand({
                stateMachineArn: machineArns[0],
                maxResults: 100,
                nextToken,
              }),
            );
            count += page.executions!.length;
            nextToken = page.nextToken;
          } while (nextToken);
          if (count !== executions) {
            throw new Error(
              `Listed ${count} executions, expected ${executions}`,
            );
          }
        },
      );
      await timed(`${label}: ListExecutions statusFilter FAILED (none)`, () =>
        sfn.send(
          new ListExecutionsCommand({
            stateMachineArn: machineArns[0],
            statusFilter: 'FAILED',
          }),
        ),
      );
      await timed(`${label}: 100 x DescribeExecution`, async () => {
        for (let i = 0; i < 100; i++) {
          await sfn.send(
            new DescribeExecutionCommand({
              executionArn: arns[(i * 7) % arns.length],
            }),
          );
        }
      });
      const history = await timed(
        `${label}: 100 x GetExecutionHistory`,
        async () => {
          let events = 0;
          for (let i = 0; i < 100; i++) {
            const page = await sfn.send(
              new GetExecutionHistoryCommand({
                executionArn: arns[(i * 7) % arns.length],
              }),
            );
            events = page.events!.length;
          }
          return events;
        },
      );
      console.log(`${label}: events per execution: ${history}`);
    };
    await measureReads('warm');

    await sandbox.close();
    sandbox = await timed('restart (loads every execution summary)', () =>
      startSandbox({ port: 0, dataDir, waitCompression: 1000 }),
    );
    sfn = client(sandbox);
    await measureReads('after restart');

    const folder = path.join(dataDir, 'stepfunctions');
    const historyDir = path.join(folder, 'history');
    const historyBytes = fs
      .readdirSync(historyDir)
      .reduce(
        (sum, file) => sum + fs.statSync(path.join(historyDir, file)).size,
        0,
      );
    const indexBytes = fs.statSync(path.join(folder, 'executions.jsonl')).size;
    console.log(
      `disk: index ${(indexBytes / 1e6).toFixed(2)} MB, histories ${(
        historyBytes / 1e6
      ).toFixed(2)} MB ` +
        `(${(historyBytes / arns.length / 1000).toFixed(1)} kB per execution)`,
    );
    console.log(`peak RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
  } finally {
    await sandbox.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
