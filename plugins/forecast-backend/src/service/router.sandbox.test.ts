import {
  DescribeExecutionCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import {
  startForecastBackend,
  workloadEntity,
} from '../__testUtils__/mockBackend';
import {
  callsBetween,
  startCountingProxy,
} from '../__testUtils__/countingProxy';
import {
  BUCKET,
  deleteStack,
  deployWorkload,
  runExecution,
  SandboxClients,
  startTestSandbox,
  trainAndExport,
} from '../__testUtils__/sandboxWorkload';

jest.setTimeout(180_000);

const BASE = '/api/forecast/entity/default/component';

describe('routes against the sandbox', () => {
  let clients: SandboxClients;
  let weekly: Awaited<ReturnType<typeof deployWorkload>>;
  let other: Awaited<ReturnType<typeof deployWorkload>>;
  let deletedStackArn: string;
  let trained: Awaited<ReturnType<typeof trainAndExport>>;
  let failedImportArn: string;

  beforeAll(async () => {
    clients = await startTestSandbox();
    weekly = await deployWorkload(
      clients,
      'forecast-weekly-demand',
      'component:default/weekly-demand',
      true,
    );
    other = await deployWorkload(
      clients,
      'forecast-other-demand',
      'component:default/other-demand',
      false,
    );
    const deleted = await deployWorkload(
      clients,
      'forecast-old-demand',
      'component:default/old-demand',
      false,
    );
    deletedStackArn = deleted.stackArn;
    await deleteStack(clients, deletedStackArn);

    for (let i = 0; i < 25; i++) {
      await runExecution(clients, weekly.outputs.WorkflowStateMachineArn, {
        run: i,
      });
    }
    await runExecution(clients, weekly.outputs.ImportDataStateMachineArn, {});
    const failed = await runExecution(
      clients,
      weekly.outputs.ImportDataStateMachineArn,
      {
        fail: true,
      },
    );
    failedImportArn = failed.executionArn!;
    await runExecution(
      clients,
      weekly.outputs.CreateDatasetGroupStateMachineArn,
      {
        week: '2026-18',
      },
    );
    await runExecution(clients, other.outputs.WorkflowStateMachineArn, {});

    trained = await trainAndExport(
      clients,
      'forecast-weekly-demand',
      `s3://${BUCKET}/forecast-other-demand/forecast-exports/run1/`,
    );
  });

  afterAll(async () => {
    await clients?.close();
  });

  const entities = () => [
    workloadEntity('weekly-demand', weekly.stackArn),
    workloadEntity('other-demand', other.stackArn, 'group:default/finance'),
    workloadEntity('old-demand', deletedStackArn),
    workloadEntity('no-annotation', undefined),
    // Points at the weekly stack, whose tag names another entity.
    workloadEntity('impostor', weekly.stackArn),
  ];

  async function start(
    permission:
      | AuthorizeResult.ALLOW
      | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
    endpoint = clients.sandbox.endpoint,
  ) {
    return startForecastBackend({ entities: entities(), endpoint, permission });
  }

  it('returns the workload summary', async () => {
    const { server } = await start();

    const response = await request(server).get(
      `${BASE}/weekly-demand/workload`,
    );

    expect(response.status).toBe(200);
    expect(response.body.stackName).toBe('forecast-weekly-demand');
    expect(response.body.stackStatus).toBe('CREATE_COMPLETE');
    expect(response.body.accountId).toBe('000000000000');
    expect(response.body.parameters.Domain).toBe('RETAIL');
    expect(response.body.parameters.NotificationEmail).toBeUndefined();
    expect(response.body.outputs.ForecastExportPath).toBe(
      `s3://${BUCKET}/forecast-weekly-demand/forecast-exports/`,
    );
    expect(response.body.lastSuccessfulForecast.executionArn).toContain(
      'forecast-weekly-demand-workflow',
    );
    expect(response.body.links[0].title).toBe('CloudFormation stack');
  });

  it('lists the six pipelines with their newest execution', async () => {
    const { server } = await start();

    const response = await request(server).get(
      `${BASE}/weekly-demand/pipelines`,
    );

    expect(response.status).toBe(200);
    const byKey = Object.fromEntries(
      response.body.pipelines.map((p: any) => [p.key, p]),
    );
    expect(Object.keys(byKey).sort()).toEqual([
      'create-dataset-group',
      'create-forecast',
      'import-data',
      'select-predictor',
      'train-predictor',
      'workflow',
    ]);
    expect(byKey['import-data'].lastExecution.status).toBe('FAILED');
    expect(byKey['import-data'].lastExecution.executionArn).toBe(
      failedImportArn,
    );
    expect(byKey['train-predictor'].lastExecution).toBeUndefined();
  });

  it('pages one pipeline newest first', async () => {
    const { server } = await start();

    const names: string[] = [];
    const starts: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const query = token ? `&pageToken=${encodeURIComponent(token)}` : '';
      const response = await request(server).get(
        `${BASE}/weekly-demand/executions?pipeline=workflow&pageSize=10${query}`,
      );
      expect(response.status).toBe(200);
      for (const execution of response.body.executions) {
        names.push(execution.name);
        starts.push(execution.startDate);
        expect(execution.pipelineKey).toBe('workflow');
      }
      token = response.body.nextPageToken;
      pages += 1;
    } while (token && pages < 10);

    expect(pages).toBe(3);
    expect(new Set(names).size).toBe(25);
    expect([...starts].sort().reverse()).toEqual(starts);
  });

  it('merges all pipelines and filters by status', async () => {
    const { server } = await start();

    const all = await request(server).get(
      `${BASE}/weekly-demand/executions?pageSize=100`,
    );
    expect(all.status).toBe(200);
    expect(all.body.executions).toHaveLength(28);
    expect(all.body.nextPageToken).toBeUndefined();

    const failed = await request(server).get(
      `${BASE}/weekly-demand/executions?status=FAILED`,
    );
    expect(failed.status).toBe(200);
    expect(failed.body.executions.map((e: any) => e.executionArn)).toEqual([
      failedImportArn,
    ]);

    const bad = await request(server).get(
      `${BASE}/weekly-demand/executions?status=DONE`,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('Invalid status "DONE"');
  });

  it('pages all pipelines merged newest first', async () => {
    const { server } = await start();

    const arns: string[] = [];
    const starts: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const query = token ? `&pageToken=${encodeURIComponent(token)}` : '';
      const response = await request(server).get(
        `${BASE}/weekly-demand/executions?pageSize=5${query}`,
      );
      expect(response.status).toBe(200);
      expect(response.body.executions.length).toBeLessThanOrEqual(5);
      for (const execution of response.body.executions) {
        arns.push(execution.executionArn);
        starts.push(execution.startDate);
      }
      token = response.body.nextPageToken;
      pages += 1;
    } while (token && pages < 20);

    expect(pages).toBe(6);
    expect(new Set(arns).size).toBe(28);
    expect([...starts].sort().reverse()).toEqual(starts);
  });

  it('rejects a page token for another query', async () => {
    const { server } = await start();
    const first = await request(server).get(
      `${BASE}/weekly-demand/executions?pageSize=5`,
    );

    const otherSize = await request(server).get(
      `${BASE}/weekly-demand/executions?pageSize=6&pageToken=${first.body.nextPageToken}`,
    );
    expect(otherSize.status).toBe(400);
    expect(otherSize.body.error.message).toContain('pageSize 5');

    const garbage = await request(server).get(
      `${BASE}/weekly-demand/executions?pageToken=not-a-token`,
    );
    expect(garbage.status).toBe(400);
  });

  it('serves a warm page view without AWS calls', async () => {
    const proxy = await startCountingProxy(clients.sandbox.endpoint);
    try {
      const { server } = await start(AuthorizeResult.ALLOW, proxy.endpoint);
      const view = async () => {
        const before = proxy.snapshot();
        for (const route of ['workload', 'pipelines', 'executions']) {
          const response = await request(server).get(
            `${BASE}/weekly-demand/${route}`,
          );
          expect(response.status).toBe(200);
        }
        return callsBetween(before, proxy.snapshot());
      };

      const cold = await view();
      expect(cold.calls).toEqual({ DescribeStacks: 1, ListExecutions: 6 });
      const warm = await view();
      expect(warm.total).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it('describes a failed execution with its failing step', async () => {
    const { server } = await start();

    const response = await request(server).get(
      `${BASE}/weekly-demand/executions/${encodeURIComponent(failedImportArn)}`,
    );

    expect(response.status).toBe(200);
    expect(response.body.execution.status).toBe('FAILED');
    expect(response.body.input).toBe('{"fail":true}');
    expect(response.body.steps.map((s: any) => s.name)).toEqual([
      'CheckInput',
      'ImportFailed',
    ]);
    expect(response.body.steps[0].status).toBe('SUCCEEDED');
    expect(response.body.failure).toEqual({
      step: 'ImportFailed',
      error: 'Forecast.InvalidInputException',
      cause: 'Row 3 of target.csv: invalid timestamp',
    });
  });

  it('rejects an execution of another stack', async () => {
    const { server } = await start();
    const foreign = await runExecution(
      clients,
      other.outputs.WorkflowStateMachineArn,
      {},
    );

    const response = await request(server).get(
      `${BASE}/weekly-demand/executions/${encodeURIComponent(
        foreign.executionArn!,
      )}`,
    );

    expect(response.status).toBe(403);
    expect(response.body.error.message).toContain(
      'does not belong to a state machine of stack forecast-weekly-demand',
    );

    const malformed = await request(server).get(
      `${BASE}/weekly-demand/executions/not-an-arn`,
    );
    expect(malformed.status).toBe(400);
  });

  it('reruns with the last input and shows the new run at once', async () => {
    const { server, audits } = await start();
    const before = await request(server).get(
      `${BASE}/weekly-demand/executions?pipeline=create-dataset-group`,
    );
    expect(before.body.executions).toHaveLength(1);

    const rerun = await request(server)
      .post(`${BASE}/weekly-demand/pipelines/create-dataset-group/rerun`)
      .send({});

    expect(rerun.status).toBe(201);
    const { execution } = rerun.body;
    expect(execution.name).toMatch(/^rerun-mock-/);
    const described = await clients.stepFunctions.send(
      new DescribeExecutionCommand({ executionArn: execution.executionArn }),
    );
    expect(described.input).toBe('{"week":"2026-18"}');

    const after = await request(server).get(
      `${BASE}/weekly-demand/executions?pipeline=create-dataset-group`,
    );
    expect(after.body.executions).toHaveLength(2);
    expect(after.body.executions[0].executionArn).toBe(execution.executionArn);
    expect(after.body.executions[0].startedBy).toBe('rerun by mock');

    expect(audits).toHaveLength(1);
    expect(audits[0].meta).toMatchObject({
      actor: 'user:default/mock',
      entityRef: 'component:default/weekly-demand',
      pipeline: 'create-dataset-group',
    });
    expect(audits[0].outcome).toMatchObject({
      result: 'success',
      meta: { executionArn: execution.executionArn },
    });
  });

  it('denies a rerun the policy does not allow', async () => {
    const { server, audits, authorize } = await start(AuthorizeResult.DENY);
    const before = await request(server).get(
      `${BASE}/weekly-demand/executions?pipeline=select-predictor`,
    );

    const response = await request(server)
      .post(`${BASE}/weekly-demand/pipelines/select-predictor/rerun`)
      .send({ input: '{}' });

    expect(response.status).toBe(403);
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
    const after = await request(server).get(
      `${BASE}/weekly-demand/executions?pipeline=select-predictor`,
    );
    expect(after.body.executions).toEqual(before.body.executions);
    expect(audits[0].outcome?.result).toBe('fail');
    expect(audits[0].outcome?.error?.name).toBe('NotAllowedError');
  });

  it('answers 409 for a rerun while running, unless forced', async () => {
    const { server } = await start();
    const { executionArn } = await clients.stepFunctions.send(
      new StartExecutionCommand({
        stateMachineArn: weekly.outputs.TrainPredictorStateMachineArn,
        input: JSON.stringify({ wait: 60_000 }),
      }),
    );

    const conflict = await request(server)
      .post(`${BASE}/weekly-demand/pipelines/train-predictor/rerun`)
      .send({ input: '{"wait":1}' });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.message).toContain(
      executionArn!.split(':').pop(),
    );

    const forced = await request(server)
      .post(`${BASE}/weekly-demand/pipelines/train-predictor/rerun`)
      .send({ input: '{"wait":1}', force: true });
    expect(forced.status).toBe(201);
    expect(forced.body.execution.executionArn).not.toBe(executionArn);
  });

  it('rejects a rerun input that is not JSON', async () => {
    const { server } = await start();

    const response = await request(server)
      .post(`${BASE}/weekly-demand/pipelines/workflow/rerun`)
      .send({ input: '{oops' });

    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('must be JSON text');
  });

  it('rejects an unknown pipeline key', async () => {
    const { server } = await start();

    const response = await request(server)
      .post(`${BASE}/weekly-demand/pipelines/deploy/rerun`)
      .send({});

    expect(response.status).toBe(404);
    expect(response.body.error.message).toContain('import-data');
  });

  it('lists only exports under the stack export path', async () => {
    const { server } = await start();

    const response = await request(server).get(`${BASE}/weekly-demand/exports`);

    expect(response.status).toBe(200);
    expect(response.body.exports).toHaveLength(1);
    const [own] = response.body.exports;
    expect(own.exportJobArn).toBe(trained.exportJobArns[0]);
    expect(own.status).toBe('ACTIVE');
    expect(own.files.length).toBeGreaterThan(0);
    expect(own.files[0].name).toMatch(
      /^export_own_\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ_part\d+\.csv$/,
    );
    expect(own.files[0].size).toBeGreaterThan(0);

    const theirs = await request(server).get(`${BASE}/other-demand/exports`);
    expect(theirs.body.exports.map((e: any) => e.exportJobArn)).toEqual([
      trained.exportJobArns[1],
    ]);
  });

  it('streams an export file and rejects other keys', async () => {
    const { server } = await start();
    const listed = await request(server).get(`${BASE}/weekly-demand/exports`);
    const file = listed.body.exports[0].files[0];

    const response = await request(server).get(
      `${BASE}/weekly-demand/exports/file?key=${encodeURIComponent(file.key)}`,
    );
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    expect(response.headers['content-disposition']).toContain(file.name);
    expect(response.text.split(/\r?\n/)[0]).toBe(
      'item_id,store,date,p10,p50,p90',
    );

    const foreign = await request(server).get(
      `${BASE}/weekly-demand/exports/file?key=${encodeURIComponent(
        'forecast-other-demand/forecast-exports/run1/x.csv',
      )}`,
    );
    expect(foreign.status).toBe(403);
    const input = await request(server).get(
      `${BASE}/weekly-demand/exports/file?key=${encodeURIComponent(
        'forecast-weekly-demand/input/target/demand.csv',
      )}`,
    );
    expect(input.status).toBe(403);
    const climbing = await request(server).get(
      `${BASE}/weekly-demand/exports/file?key=${encodeURIComponent(
        'forecast-weekly-demand/forecast-exports/../input/target/demand.csv',
      )}`,
    );
    expect(climbing.status).toBe(400);
    const missing = await request(server).get(
      `${BASE}/weekly-demand/exports/file?key=${encodeURIComponent(
        'forecast-weekly-demand/forecast-exports/none.csv',
      )}`,
    );
    expect(missing.status).toBe(404);
  });

  it('returns the forecast series with actuals', async () => {
    const { server } = await start();

    const response = await request(server).get(
      `${BASE}/weekly-demand/forecast?item=item_a&dimensions=store%3Dstore_2`,
    );

    expect(response.status).toBe(200);
    const body = response.body;
    expect(body.items).toEqual(['item_a', 'item_b']);
    expect(body.dimensions).toEqual({ store: 'store_2' });
    expect(body.forecastTypes).toEqual(['p10', 'p50', 'p90']);
    expect(body.forecast).toHaveLength(14);
    expect(body.forecast[0].date).toBe('2026-05-01T00:00:00Z');
    for (const point of body.forecast) {
      expect(point.p10).toBeLessThanOrEqual(point.p50);
      expect(point.p50).toBeLessThanOrEqual(point.p90);
    }
    expect(body.actuals).toHaveLength(104);
    expect(body.actuals[body.actuals.length - 1]).toEqual({
      date: '2026-04-30T00:00:00Z',
      value: expect.any(Number),
    });
    // store_2 runs about 25 a day, store_1 about 40: the filter picked store_2.
    const mean =
      body.actuals.reduce((sum: number, p: any) => sum + p.value, 0) /
      body.actuals.length;
    expect(mean).toBeGreaterThan(20);
    expect(mean).toBeLessThan(35);

    const unknown = await request(server).get(
      `${BASE}/weekly-demand/forecast?item=item_z`,
    );
    expect(unknown.status).toBe(404);
    const badDimension = await request(server).get(
      `${BASE}/weekly-demand/forecast?item=item_a&dimensions=region%3Deu`,
    );
    expect(badDimension.status).toBe(400);
  });

  it('returns the selected predictor accuracy', async () => {
    const { server } = await start();

    const response = await request(server).get(
      `${BASE}/weekly-demand/accuracy`,
    );

    expect(response.status).toBe(200);
    expect(response.body.predictorArn).toBe(trained.PredictorArn);
    const summary = response.body.windows.find(
      (w: any) => w.evaluationType === 'SUMMARY',
    );
    expect(summary.metrics.errorMetrics.length).toBeGreaterThan(0);
    expect(
      summary.metrics.weightedQuantileLosses.map((l: any) => l.quantile).sort(),
    ).toEqual([0.1, 0.5, 0.9]);

    const none = await request(server).get(`${BASE}/other-demand/accuracy`);
    expect(none.status).toBe(200);
    expect(none.body.windows).toEqual([]);
  });

  it('rejects a selected predictor of another dataset group', async () => {
    const { server } = await start();
    // Without a forecast of its own, the other workload falls back to the
    // select-predictor output, which here names the weekly predictor.
    await runExecution(clients, other.outputs.SelectPredictorStateMachineArn, {
      PredictorArn: trained.PredictorArn,
    });

    const response = await request(server).get(`${BASE}/other-demand/accuracy`);

    expect(response.status).toBe(403);
    expect(response.body.error.message).toContain(
      'dataset-group/weekly_demand',
    );
  });

  it('answers 404 for a missing annotation, a deleted stack or an unknown entity', async () => {
    const { server } = await start();

    const missing = await request(server).get(
      `${BASE}/no-annotation/pipelines`,
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain('amazon-forecast/stack-arn');

    const deleted = await request(server).get(`${BASE}/old-demand/workload`);
    expect(deleted.status).toBe(404);
    expect(deleted.body.error.message).toContain('forecast-old-demand');

    const unknown = await request(server).get(`${BASE}/nobody/workload`);
    expect(unknown.status).toBe(404);
  });

  it('rejects an entity pointing at a stack tagged for another', async () => {
    const { server } = await start();

    const response = await request(server).get(`${BASE}/impostor/pipelines`);

    expect(response.status).toBe(403);
    expect(response.body.error.message).toContain(
      'component:default/weekly-demand',
    );
  });
});
