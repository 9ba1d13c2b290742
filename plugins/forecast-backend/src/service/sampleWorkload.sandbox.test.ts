import {
  CreateStackCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { readTemplateBody } from '@forecast-pipelines/cloudformation';
import request from 'supertest';
import {
  startForecastBackend,
  workloadEntity,
} from '../__testUtils__/mockBackend';
import {
  SandboxClients,
  startTestSandbox,
} from '../__testUtils__/sandboxWorkload';

jest.setTimeout(300_000);

const BUCKET = 'forecast-sample-data';
const BASE = '/api/forecast/entity/default/component/daily-demand';

/** Daily values of three items over 150 days, in the template's default column order. */
function targetCsv(): string {
  const rows: string[] = [];
  for (const [index, item] of ['item_a', 'item_b', 'item_c'].entries()) {
    for (let day = 0; day < 150; day++) {
      const date = new Date(Date.UTC(2026, 0, 1) + day * 86_400_000)
        .toISOString()
        .slice(0, 10);
      const value =
        20 + index * 10 + day * 0.05 + 6 * Math.sin((2 * Math.PI * day) / 7);
      rows.push(`${date},${value.toFixed(2)},${item}`);
    }
  }
  return `${rows.join('\n')}\n`;
}

async function waitFor<T>(
  description: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${description}`);
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

describe('sample workload from the project templates', () => {
  let clients: SandboxClients;
  let stackArn: string;
  let workflowArn: string;

  beforeAll(async () => {
    clients = await startTestSandbox();
    const { cloudFormation, s3, stepFunctions } = clients;
    const stackDone = (name: string) =>
      waitFor(
        `stack ${name}`,
        async () =>
          (
            await cloudFormation.send(
              new DescribeStacksCommand({ StackName: name }),
            )
          ).Stacks![0],
        stack => !stack.StackStatus!.endsWith('IN_PROGRESS'),
        120_000,
      );

    await cloudFormation.send(
      new CreateStackCommand({
        StackName: 'forecast-dependency',
        TemplateBody: readTemplateBody('forecast-dependency'),
        Parameters: [{ ParameterKey: 'BucketName', ParameterValue: BUCKET }],
        Capabilities: ['CAPABILITY_IAM'],
      }),
    );
    const dependency = await stackDone('forecast-dependency');
    if (dependency.StackStatus !== 'CREATE_COMPLETE') {
      throw new Error(`Dependency stack ended ${dependency.StackStatus}`);
    }

    // The workload template is over CreateStack's 51,200-byte TemplateBody
    // limit, so it goes through S3 as on AWS.
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'templates/workload.yaml',
        Body: readTemplateBody('forecast-workload'),
      }),
    );
    await cloudFormation.send(
      new CreateStackCommand({
        StackName: 'forecast-daily-demand',
        TemplateURL: `${clients.sandbox.endpoint}/${BUCKET}/templates/workload.yaml`,
        Parameters: [
          {
            ParameterKey: 'DependencyStackName',
            ParameterValue: 'forecast-dependency',
          },
          { ParameterKey: 'DatasetGroupName', ParameterValue: 'daily_demand' },
          {
            ParameterKey: 'ScheduleExpression',
            ParameterValue: 'rate(7 days)',
          },
        ],
        Capabilities: ['CAPABILITY_IAM'],
        Tags: [
          { Key: 'forecast-pipelines:role', Value: 'workload' },
          {
            Key: 'forecast-pipelines:entity-ref',
            Value: 'component:default/daily-demand',
          },
        ],
      }),
    );
    const stack = await stackDone('forecast-daily-demand');
    if (stack.StackStatus !== 'CREATE_COMPLETE') {
      throw new Error(
        `Workload stack ended ${stack.StackStatus}: ${stack.StackStatusReason}`,
      );
    }
    stackArn = stack.StackId!;
    const outputs = Object.fromEntries(
      stack.Outputs!.map(o => [o.OutputKey!, o.OutputValue!]),
    );
    workflowArn = outputs.WorkflowStateMachineArn;

    const input = new URL(outputs.InputDataPath);
    await s3.send(
      new PutObjectCommand({
        Bucket: input.host,
        Key: `${input.pathname.slice(1)}target/sales.csv`,
        Body: targetCsv(),
      }),
    );
    const { executionArn } = await stepFunctions.send(
      new StartExecutionCommand({ stateMachineArn: workflowArn, input: '{}' }),
    );
    const execution = await waitFor(
      'the workflow',
      () => stepFunctions.send(new DescribeExecutionCommand({ executionArn })),
      e => e.status !== 'RUNNING',
      240_000,
    );
    if (execution.status !== 'SUCCEEDED') {
      throw new Error(
        `Workflow ended ${execution.status}: ${execution.error}: ${execution.cause}`,
      );
    }
  });

  afterAll(async () => {
    await clients?.close();
  });

  it('serves every read route for the deployed workload', async () => {
    const { server } = await startForecastBackend({
      entities: [workloadEntity('daily-demand', stackArn)],
      endpoint: clients.sandbox.endpoint,
    });

    const workload = await request(server).get(`${BASE}/workload`);
    expect(workload.status).toBe(200);
    expect(workload.body.stackName).toBe('forecast-daily-demand');
    expect(workload.body.parameters.DatasetGroupName).toBe('daily_demand');
    expect(workload.body.lastSuccessfulForecast).toBeDefined();
    expect(workload.body.schedule).toEqual({
      expression: 'rate(7 days)',
      state: 'ENABLED',
      nextRun: expect.any(String),
    });
    const nextRun = Date.parse(workload.body.schedule.nextRun);
    expect(nextRun).toBeGreaterThan(Date.now());
    expect(nextRun).toBeLessThanOrEqual(Date.now() + 7 * 86_400_000);

    const pipelines = await request(server).get(`${BASE}/pipelines`);
    expect(pipelines.status).toBe(200);
    expect(pipelines.body.pipelines).toHaveLength(6);
    const workflow = pipelines.body.pipelines.find(
      (p: any) => p.key === 'workflow',
    );
    expect(workflow.lastExecution.status).toBe('SUCCEEDED');

    const detail = await request(server).get(
      `${BASE}/executions/${encodeURIComponent(
        workflow.lastExecution.executionArn,
      )}`,
    );
    expect(detail.status).toBe(200);
    expect(detail.body.steps.length).toBeGreaterThan(3);
    expect(detail.body.failure).toBeUndefined();

    const executions = await request(server).get(`${BASE}/executions`);
    expect(executions.status).toBe(200);
    expect(executions.body.executions.length).toBeGreaterThan(1);

    const exports = await request(server).get(`${BASE}/exports`);
    expect(exports.status).toBe(200);
    expect(exports.body.exports).toHaveLength(1);
    const [job] = exports.body.exports;
    expect(job.status).toBe('ACTIVE');
    const csv = job.files.find((f: any) => f.name.endsWith('.csv'));
    expect(csv).toBeDefined();

    const file = await request(server).get(
      `${BASE}/exports/file?key=${encodeURIComponent(csv.key)}`,
    );
    expect(file.status).toBe(200);
    expect(file.text.split(/\r?\n/)[0]).toBe('item_id,date,p10,p50,p90');

    const series = await request(server).get(`${BASE}/forecast?item=item_b`);
    expect(series.status).toBe(200);
    expect(series.body.items).toEqual(['item_a', 'item_b', 'item_c']);
    expect(series.body.forecast).toHaveLength(14);
    expect(series.body.actuals.length).toBeGreaterThan(0);
    const lastActual = series.body.actuals[series.body.actuals.length - 1];
    expect(lastActual.date < series.body.forecast[0].date).toBe(true);

    const accuracy = await request(server).get(`${BASE}/accuracy`);
    expect(accuracy.status).toBe(200);
    expect(accuracy.body.predictorArn).toContain(':predictor/');
    expect(accuracy.body.windows.length).toBeGreaterThan(0);
  });

  it('reruns a pipeline of the deployed workload', async () => {
    const { server } = await startForecastBackend({
      entities: [workloadEntity('daily-demand', stackArn)],
      endpoint: clients.sandbox.endpoint,
    });

    const rerun = await request(server)
      .post(`${BASE}/pipelines/workflow/rerun`)
      .send({});

    expect(rerun.status).toBe(201);
    const described = await clients.stepFunctions.send(
      new DescribeExecutionCommand({
        executionArn: rerun.body.execution.executionArn,
      }),
    );
    expect(described.input).toBe('{}');

    const again = await request(server)
      .post(`${BASE}/pipelines/workflow/rerun`)
      .send({});
    expect(again.status).toBe(409);
  });
});
