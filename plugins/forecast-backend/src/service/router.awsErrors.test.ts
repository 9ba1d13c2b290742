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

describe('routes with mocked AWS clients', () => {
  beforeEach(() => {
    cfn.reset();
    sfn.reset();
    cfn
      .on(DescribeStacksCommand)
      .resolves(describeStacksOutput('weekly-demand'));
  });

  async function start(
    permission:
      | AuthorizeResult.ALLOW
      | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
    cacheTtlSeconds = 30,
  ) {
    return startForecastBackend({
      entities: [entity],
      endpoint: 'http://127.0.0.1:9',
      permission,
      config: { backend: { cacheTtlSeconds } },
    });
  }

  it('lists pipelines with their newest execution', async () => {
    sfn.on(ListExecutionsCommand).callsFake(listFrom(3));
    const { server } = await start();

    const response = await request(server).get(`${BASE}/pipelines`);

    expect(response.status).toBe(200);
    expect(response.body.stale).toBeUndefined();
    expect(response.body.pipelines).toHaveLength(6);
    const importData = response.body.pipelines.find(
      (p: any) => p.key === 'import-data',
    );
    expect(importData.stateMachineArn).toBe(
      stateMachineArnOf(STACK, 'import-data'),
    );
    expect(importData.lastExecution.name).toBe('run-3');
    expect(sfn).toHaveReceivedCommandTimes(ListExecutionsCommand, 6);
  });

  it('serves cached pipelines when AWS throttles', async () => {
    sfn.on(ListExecutionsCommand).callsFake(listFrom(2));
    const { server } = await start(AuthorizeResult.ALLOW, 0.001);
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

  it('pages merged executions newest first', async () => {
    sfn.on(ListExecutionsCommand).callsFake(listFrom(7));
    const { server } = await start();

    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const query = token ? `&pageToken=${encodeURIComponent(token)}` : '';
      const response = await request(server).get(
        `${BASE}/executions?pageSize=5${query}`,
      );
      expect(response.status).toBe(200);
      for (const item of response.body.executions) {
        seen.push(item.startDate);
      }
      token = response.body.nextPageToken;
      pages += 1;
    } while (token && pages < 20);

    expect(seen).toHaveLength(42);
    expect([...seen].sort().reverse()).toEqual(seen);
    expect(pages).toBe(9);
  });

  it('rejects a page token for another page size', async () => {
    sfn.on(ListExecutionsCommand).callsFake(listFrom(7));
    const { server } = await start();
    const first = await request(server).get(`${BASE}/executions?pageSize=5`);

    const response = await request(server).get(
      `${BASE}/executions?pageSize=6&pageToken=${first.body.nextPageToken}`,
    );

    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('pageSize 5');
  });

  it('reruns with the last input and audits it', async () => {
    sfn.on(ListExecutionsCommand).callsFake(listFrom(2));
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ input: '{"week":"2026-01"}' } as any);
    sfn.on(StartExecutionCommand).callsFake(async input => ({
      executionArn: `${input.stateMachineArn.replace(
        ':stateMachine:',
        ':execution:',
      )}:${input.name}`,
      startDate: new Date(),
    }));
    const { server, audits } = await start();

    const response = await request(server)
      .post(`${BASE}/pipelines/import-data/rerun`)
      .send({});

    expect(response.status).toBe(201);
    expect(response.body.execution.name).toMatch(
      /^rerun-mock-\d{8}T\d{6}Z-[0-9a-f]{6}$/,
    );
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: stateMachineArnOf(STACK, 'import-data'),
      input: '{"week":"2026-01"}',
    });
    expect(audits).toHaveLength(1);
    expect(audits[0].eventId).toBe('pipeline-rerun');
    expect(audits[0].meta?.actor).toBe('user:default/mock');
    expect(audits[0].outcome?.result).toBe('success');
    expect(audits[0].outcome?.meta?.executionArn).toBe(
      response.body.execution.executionArn,
    );
  });

  it('rejects a rerun without permission', async () => {
    sfn.on(ListExecutionsCommand).callsFake(listFrom(2));
    const { server, audits, authorize } = await start(AuthorizeResult.DENY);

    const response = await request(server)
      .post(`${BASE}/pipelines/workflow/rerun`)
      .send({});

    expect(response.status).toBe(403);
    expect(response.body.error.message).toContain('forecast.pipeline.execute');
    expect(authorize).toHaveBeenCalledWith(
      [
        {
          permission: expect.objectContaining({
            name: 'forecast.pipeline.execute',
          }),
          resourceRef: 'component:default/weekly-demand',
        },
      ],
      expect.anything(),
    );
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
    expect(audits[0].outcome?.result).toBe('fail');
  });

  it('answers 409 while a run is in progress unless forced', async () => {
    sfn
      .on(ListExecutionsCommand)
      .resolves({ executions: [execution('workflow', 9, 'RUNNING')] });
    sfn.on(StartExecutionCommand).resolves({
      executionArn: 'arn:aws:states:us-east-1:000000000000:execution:x:y',
      startDate: new Date(),
    });
    const { server, audits } = await start();

    const conflict = await request(server)
      .post(`${BASE}/pipelines/workflow/rerun`)
      .send({ input: '{}' });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.message).toContain('run-9');
    expect(audits[0].outcome?.result).toBe('fail');

    const forced = await request(server)
      .post(`${BASE}/pipelines/workflow/rerun`)
      .send({ input: '{}', force: true });
    expect(forced.status).toBe(201);
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
  });

  it('rejects an input that is not JSON', async () => {
    const { server } = await start();

    const response = await request(server)
      .post(`${BASE}/pipelines/workflow/rerun`)
      .send({ input: '{oops' });

    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('must be JSON text');
  });
});
