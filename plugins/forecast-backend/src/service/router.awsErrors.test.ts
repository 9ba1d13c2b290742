import {
  CloudFormationClient,
  CloudFormationServiceException,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  ListExecutionsCommandInput,
  SFNClient,
  SFNServiceException,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import request from 'supertest';
import {
  startForecastBackend,
  workloadEntity,
} from '../__testUtils__/mockBackend';
import {
  describeStacksOutput,
  stackArnOf,
  stateMachineArnOf,
} from '../__testUtils__/stackFixture';

const cfn = mockClient(CloudFormationClient);
const sfn = mockClient(SFNClient);

const STACK = 'forecast-weekly-demand';
const BASE = '/api/forecast/entity/default/component/weekly-demand';
const entity = workloadEntity('weekly-demand', stackArnOf(STACK));

function throttling() {
  return new SFNServiceException({
    name: 'ThrottlingException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: 'Rate exceeded',
  });
}

function execution(key: string, index: number, status = 'SUCCEEDED') {
  const stateMachineArn = stateMachineArnOf(STACK, key);
  return {
    executionArn: `${stateMachineArn.replace(
      ':stateMachine:',
      ':execution:',
    )}:run-${index}`,
    stateMachineArn,
    name: `run-${index}`,
    status: status as any,
    startDate: new Date(Date.UTC(2026, 0, 1, 0, index)),
    stopDate: new Date(Date.UTC(2026, 0, 1, 0, index, 30)),
  };
}

/** Returns ListExecutions pages from a list of `count` executions per state machine, newest first. */
function listFrom(count: number) {
  return async (input: ListExecutionsCommandInput) => {
    const key = input.stateMachineArn!.slice(
      `${stateMachineArnOf(STACK, '')}`.length,
    );
    const all = Array.from({ length: count }, (_, i) =>
      execution(key, count - i),
    );
    const filtered = input.statusFilter
      ? all.filter(e => e.status === input.statusFilter)
      : all;
    const start = input.nextToken ? Number(input.nextToken) : 0;
    const size = input.maxResults ?? 100;
    const end = start + size;
    return {
      executions: filtered.slice(start, end),
      nextToken: end < filtered.length ? String(end) : undefined,
    };
  };
}

// The sandbox cannot throttle or deny access, so these error paths use
// aws-sdk-client-mock; every other route test runs against the sandbox.
describe('routes on AWS errors', () => {
  beforeEach(() => {
    cfn.reset();
    sfn.reset();
    cfn
      .on(DescribeStacksCommand)
      .resolves(describeStacksOutput('weekly-demand'));
  });

  async function start(cacheTtlSeconds = 30) {
    return startForecastBackend({
      entities: [entity],
      endpoint: 'http://127.0.0.1:9',
      permission: AuthorizeResult.ALLOW,
      config: { backend: { cacheTtlSeconds } },
    });
  }

  it('serves cached pipelines when AWS throttles', async () => {
    sfn.on(ListExecutionsCommand).callsFake(listFrom(2));
    const { server } = await start(0.001);
    const first = await request(server).get(`${BASE}/pipelines`);
    expect(first.status).toBe(200);

    await new Promise(resolve => setTimeout(resolve, 5));
    sfn.on(ListExecutionsCommand).rejects(throttling());
    const second = await request(server).get(`${BASE}/pipelines`);

    expect(second.status).toBe(200);
    expect(second.body.stale).toBe(true);
    expect(second.body.pipelines).toEqual(first.body.pipelines);
  });

  it('answers 503 when AWS throttles and nothing is cached', async () => {
    sfn.on(ListExecutionsCommand).rejects(throttling());
    const { server } = await start();

    const response = await request(server).get(
      `${BASE}/executions?status=FAILED`,
    );

    expect(response.status).toBe(503);
    expect(response.body.error.name).toBe('ServiceUnavailableError');
    expect(response.body.error.message).toContain('ThrottlingException');
  });

  it('answers 403 when AWS denies access', async () => {
    cfn.on(DescribeStacksCommand).rejects(
      new CloudFormationServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message:
          'User is not authorized to perform cloudformation:DescribeStacks',
      }),
    );
    const { server } = await start();

    const response = await request(server).get(`${BASE}/workload`);

    expect(response.status).toBe(403);
    expect(response.body.error.name).toBe('NotAllowedError');
    expect(response.body.error.message).toContain(
      'cloudformation:DescribeStacks',
    );
  });

  it('answers 503, not 500, for an unknown AWS client error', async () => {
    sfn.on(ListExecutionsCommand).rejects(
      new SFNServiceException({
        name: 'SomethingNew',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'unexpected',
      }),
    );
    const { server } = await start();

    const response = await request(server).get(`${BASE}/pipelines`);

    expect(response.status).toBe(503);
    expect(response.body.error.message).toContain('SomethingNew');
  });

  it('audits a rerun that AWS throttles', async () => {
    sfn.on(ListExecutionsCommand).callsFake(listFrom(2));
    sfn.on(DescribeExecutionCommand).resolves({ input: '{}' } as any);
    sfn.on(StartExecutionCommand).rejects(throttling());
    const { server, audits } = await start();

    const response = await request(server)
      .post(`${BASE}/pipelines/import-data/rerun`)
      .send({});

    expect(response.status).toBe(503);
    expect(audits).toHaveLength(1);
    expect(audits[0].outcome?.result).toBe('fail');
    expect(audits[0].outcome?.error?.name).toBe('ServiceUnavailableError');
  });
});
