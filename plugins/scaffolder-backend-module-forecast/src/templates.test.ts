import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import catalogModuleForecast from '@forecast-pipelines/plugin-catalog-backend-module-forecast';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import request from 'supertest';
import { scaffolderModuleForecast } from './module';
import { startTestSandbox, TestSandbox } from './__testUtils__/testSandbox';

jest.setTimeout(240_000);

const TEMPLATES_DIR = path.resolve(__dirname, '../../../templates');

/** The workload form's values with its defaults, as the browser sends them. */
const WORKLOAD_VALUES = {
  name: 'weekly-demand',
  owner: 'group:default/guests',
  title: 'Weekly demand',
  dependencyStackName: 'forecast-dependency',
  dataSource: 'sample',
  schemaMode: 'builder',
  targetSchemaColumns: [
    { AttributeName: 'timestamp', AttributeType: 'timestamp' },
    { AttributeName: 'target_value', AttributeType: 'float' },
    { AttributeName: 'item_id', AttributeType: 'string' },
  ],
  dataFrequency: 'H',
  timestampFormat: 'yyyy-MM-dd HH:mm:ss',
  includeRelatedTimeSeries: false,
  includeItemMetadata: false,
  forecastHorizon: 24,
  quantiles: ['0.1', '0.5', '0.9'],
  optimizationMetric: 'AverageWeightedQuantileLoss',
  explainPredictor: false,
  schedule: 'none',
  startWorkflow: false,
};

async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`Condition not met within ${timeoutMs} ms`);
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

describe('software templates on the scaffolder backend', () => {
  let env: TestSandbox;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    env = await startTestSandbox();
    backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleScaffolderEntityModel,
        catalogModuleForecast,
        scaffolderPlugin,
        scaffolderModuleForecast,
        // The real events service: the test backend's mock gives each
        // plugin its own bus, so the scaffolder could not reach the catalog.
        eventsServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            ...env.configData,
            catalog: {
              rules: [
                {
                  allow: [
                    'Component',
                    'Resource',
                    'Template',
                    'Location',
                    'Group',
                    'User',
                  ],
                },
              ],
              locations: ['forecast-dependency', 'forecast-workload'].map(
                name => ({
                  type: 'file',
                  target: path.join(TEMPLATES_DIR, name, 'template.yaml'),
                }),
              ),
              providers: {
                forecast: {
                  accounts: [
                    { accountId: '000000000000', regions: ['us-east-1'] },
                  ],
                  // Only the run at startup and deployment events refresh.
                  schedule: {
                    frequency: { hours: 1 },
                    timeout: { minutes: 1 },
                  },
                },
              },
            },
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await env?.close();
  });

  async function runTemplate(name: string, values: Record<string, unknown>) {
    await eventually(async () => {
      const response = await request(backend.server).get(
        `/api/catalog/entities/by-name/template/default/${name}`,
      );
      return response.status === 200 ? true : undefined;
    });

    const created = await request(backend.server)
      .post('/api/scaffolder/v2/tasks')
      .send({ templateRef: `template:default/${name}`, values });
    expect(created.status).toBe(201);
    const taskId = created.body.id;

    const task = await eventually(async () => {
      const response = await request(backend.server).get(
        `/api/scaffolder/v2/tasks/${taskId}`,
      );
      return ['completed', 'failed', 'cancelled'].includes(response.body.status)
        ? response.body
        : undefined;
    }, 180_000);
    const events = await request(backend.server).get(
      `/api/scaffolder/v2/tasks/${taskId}/events`,
    );
    const log = (events.body as Array<{ body: { message?: string } }>)
      .map(event => event.body.message ?? '')
      .join('\n');
    return { task, log };
  }

  it('deploys the dependency and a workload with sample data', async () => {
    const dependency = await runTemplate('forecast-dependency', {
      stackName: 'forecast-dependency',
      owner: 'group:default/guests',
    });
    expect(dependency.log).toMatch(
      /DataBucket \(AWS::S3::Bucket\) CREATE_COMPLETE/,
    );
    expect(dependency.task.status).toBe('completed');

    const values = WORKLOAD_VALUES;
    const workload = await runTemplate('forecast-workload', values);
    expect(workload.log).toContain('Stack name: forecast-weekly-demand');
    expect(workload.log).toMatch(
      /WorkflowStateMachine \(AWS::StepFunctions::StateMachine\) CREATE_COMPLETE/,
    );
    expect(workload.log).toContain('Uploaded s3://');
    expect(workload.task.status).toBe('completed');

    const s3 = await env.clientFactory.s3();
    const objects = await s3.send(
      new ListObjectsV2Command({
        Bucket: 'forecast-dependency-000000000000-us-east-1',
        Prefix: 'forecast-weekly-demand/input/target/',
      }),
    );
    expect(objects.Contents?.map(o => o.Key)).toEqual([
      'forecast-weekly-demand/input/target/sample-hourly-demand.csv',
    ]);

    const entity = await eventually(async () => {
      const response = await request(backend.server).get(
        '/api/catalog/entities/by-name/component/default/weekly-demand',
      );
      return response.status === 200 ? response.body : undefined;
    });
    expect(entity.metadata.title).toBe('Weekly demand');
    expect(entity.spec.owner).toBe('group:default/guests');
    expect(entity.metadata.annotations['amazon-forecast/stack-role']).toBe(
      'workload',
    );

    // A second run with another schedule updates the same stack.
    const again = await runTemplate('forecast-workload', {
      ...values,
      schedule: 'weekly',
    });
    expect(again.task.status).toBe('completed');
    expect(again.log).toContain('updating it');

    const cloudFormation = await env.clientFactory.cloudFormation();
    const stacks = await cloudFormation.send(new DescribeStacksCommand({}));
    const workloadStacks = (stacks.Stacks ?? []).filter(
      stack => stack.StackName === 'forecast-weekly-demand',
    );
    expect(workloadStacks).toHaveLength(1);
    expect(
      workloadStacks[0].Parameters?.find(
        p => p.ParameterKey === 'ScheduleExpression',
      )?.ParameterValue,
    ).toBe('cron(0 6 ? * MON *)');

    const components = await request(backend.server).get(
      '/api/catalog/entities/by-query?filter=kind=component,spec.type=forecast-workload',
    );
    expect(components.body.items).toHaveLength(1);
  });

  it('reports invalid form values with the rule', async () => {
    const result = await runTemplate('forecast-workload', {
      name: 'bad-schedule',
      owner: 'group:default/guests',
      dataSource: 'sample',
      schemaMode: 'json',
      targetSchemaJson:
        '{"Attributes":[{"AttributeName":"timestamp","AttributeType":"timestamp"}]}',
      dataFrequency: 'H',
      timestampFormat: 'yyyy-MM-dd HH:mm:ss',
      forecastHorizon: 24,
      quantiles: ['0.1'],
      optimizationMetric: 'WAPE',
      schedule: 'custom',
      scheduleExpression: '0 6 * * * *',
    });
    expect(result.task.status).toBe('failed');
    expect(result.log).toContain(
      'targetSchema must have a column named "item_id"',
    );
    expect(result.log).toContain(
      'scheduleExpression "0 6 * * * *" must have "?" in exactly one of day-of-month',
    );
  });

  it('dry-runs the workload template without AWS calls', async () => {
    const template = parseYaml(
      fs.readFileSync(
        path.join(TEMPLATES_DIR, 'forecast-workload', 'template.yaml'),
        'utf8',
      ),
    );
    const response = await request(backend.server)
      .post('/api/scaffolder/v2/dry-run')
      .send({
        template,
        values: { ...WORKLOAD_VALUES, name: 'dry-demand', schedule: 'daily' },
        directoryContents: [],
      });
    expect(response.status).toBe(200);

    const log = (response.body.log as Array<{ body: { message?: string } }>)
      .map(entry => entry.body.message ?? '')
      .join('\n');
    expect(log).toContain('Stack name: forecast-dry-demand');
    expect(log).toContain('ScheduleExpression=cron(0 6 * * ? *)');
    expect(log).toContain('no AWS call was made');
    expect(log).toContain('Dry run: the file has 103680 rows');

    const cloudFormation = await env.clientFactory.cloudFormation();
    await expect(
      cloudFormation.send(
        new DescribeStacksCommand({ StackName: 'forecast-dry-demand' }),
      ),
    ).rejects.toThrow('does not exist');
  });
});
