import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { createTestContext } from '../__testUtils__/context';
import { startTestSandbox, TestSandbox } from '../__testUtils__/testSandbox';
import { createDeployDependencyAction } from './deployDependency';
import { createDeployWorkloadAction } from './deployWorkload';

jest.setTimeout(120_000);

const PIPELINE_KEYS = [
  'create-dataset-group',
  'import-data',
  'train-predictor',
  'select-predictor',
  'create-forecast',
  'workflow',
];

describe('forecast:workload:deploy', () => {
  let env: TestSandbox;

  beforeAll(async () => {
    env = await startTestSandbox();
    const { context } = createTestContext({
      input: { owner: 'group:default/guests' },
    });
    await createDeployDependencyAction({
      clientFactory: env.clientFactory,
      pollIntervalMs: 50,
    }).handler(context);
  });

  afterAll(async () => {
    await env?.close();
  });

  function action() {
    return createDeployWorkloadAction({
      clientFactory: env.clientFactory,
      pollIntervalMs: 50,
      heartbeatIntervalMs: 1_000,
    });
  }

  async function describeStack(stackName: string) {
    const client = await env.clientFactory.cloudFormation();
    const response = await client.send(
      new DescribeStacksCommand({ StackName: stackName }),
    );
    return response.Stacks![0];
  }

  async function stackExists(stackName: string): Promise<boolean> {
    return describeStack(stackName).then(
      () => true,
      error => {
        if (/does not exist/.test(String(error))) {
          return false;
        }
        throw error;
      },
    );
  }

  const baseInput = {
    name: 'weekly-demand',
    owner: 'group:default/guests',
    description: 'Hourly demand, three items',
  };

  it('creates, no-ops and updates a workload stack', async () => {
    const first = createTestContext({ input: baseInput });
    await action().handler(first.context);

    expect(first.outputs.operation).toBe('create');
    expect(first.outputs.status).toBe('CREATE_COMPLETE');
    expect(first.outputs.stackName).toBe('forecast-weekly-demand');
    expect(first.outputs.datasetGroupName).toBe('weekly_demand');
    expect(first.outputs.entityRef).toBe('component:default/weekly-demand');
    expect(Object.keys(first.outputs.stateMachineArns).sort()).toEqual(
      [...PIPELINE_KEYS].sort(),
    );
    expect(first.outputs.stateMachineArns.workflow).toMatch(
      /^arn:aws:states:us-east-1:000000000000:stateMachine:forecast-weekly-demand-workflow$/,
    );
    expect(first.outputs.bucketName).toBe(
      'forecast-dependency-000000000000-us-east-1',
    );
    expect(first.outputs.inputDataPath).toBe(
      's3://forecast-dependency-000000000000-us-east-1/forecast-weekly-demand/input/',
    );
    expect(first.outputs.consoleUrl).toContain(
      encodeURIComponent(first.outputs.stackId),
    );
    const log = first.logger.lines.join('\n');
    expect(log).toContain('Stack name: forecast-weekly-demand');
    expect(log).toContain('Dataset group name: weekly_demand');
    expect(log).toMatch(
      /WorkflowStateMachine \(AWS::StepFunctions::StateMachine\) CREATE_COMPLETE/,
    );

    const second = createTestContext({ input: baseInput, taskId: 'task-2' });
    await action().handler(second.context);
    expect(second.outputs.operation).toBe('none');
    expect(second.outputs.stackId).toBe(first.outputs.stackId);
    expect(second.outputs.stateMachineArns).toEqual(
      first.outputs.stateMachineArns,
    );

    const third = createTestContext({
      input: { ...baseInput, forecastHorizon: 48, schedule: 'daily' },
      taskId: 'task-3',
    });
    await action().handler(third.context);
    expect(third.outputs.operation).toBe('update');
    expect(third.outputs.status).toBe('UPDATE_COMPLETE');
    expect(third.outputs.stackId).toBe(first.outputs.stackId);
    expect(third.outputs.scheduleName).toBeTruthy();
    expect(third.logger.lines.join('\n')).toMatch(/UPDATE_COMPLETE/);

    const stack = await describeStack('forecast-weekly-demand');
    const parameters = Object.fromEntries(
      (stack.Parameters ?? []).map(p => [p.ParameterKey, p.ParameterValue]),
    );
    expect(parameters.ForecastHorizon).toBe('48');
    expect(parameters.ScheduleExpression).toBe('cron(0 6 * * ? *)');
  });

  it('validates and logs in a dry run without creating anything', async () => {
    const { context, logger, outputs } = createTestContext({
      input: { ...baseInput, name: 'dry-demand', quantiles: '0.2,0.8' },
      isDryRun: true,
    });
    await action().handler(context);

    const log = logger.lines.join('\n');
    expect(log).toContain('Stack name: forecast-dry-demand');
    expect(log).toContain('Dataset group name: dry_demand');
    expect(log).toContain('ForecastTypes=0.2,0.8');
    expect(log).toContain('no AWS call was made');
    expect(outputs.stackName).toBe('forecast-dry-demand');
    expect(outputs.stackId).toBeUndefined();
    await expect(stackExists('forecast-dry-demand')).resolves.toBe(false);
  });

  it('rejects an invalid name before any AWS call', async () => {
    const { context } = createTestContext({
      input: { ...baseInput, name: 'Weekly Demand!' },
    });
    await expect(action().handler(context)).rejects.toThrow(
      /Invalid workload name "Weekly Demand!".*must start with a letter and contain only letters, digits and hyphens/,
    );
  });

  it('rejects a name whose dataset group name is too long for the template', async () => {
    const { context } = createTestContext({
      input: { ...baseInput, name: 'a-very-long-workload-name-for-demand' },
    });
    await expect(action().handler(context)).rejects.toThrow(
      'DatasetGroupName must be at most 30 characters long',
    );
    await expect(
      stackExists('forecast-a-very-long-workload-name-for-demand'),
    ).resolves.toBe(false);
  });

  it('keeps task secrets out of the log', async () => {
    const secret = 'tok-5f1e2d3c-secret';
    const { context, logger, outputs } = createTestContext({
      input: {
        ...baseInput,
        name: 'secret-demand',
        description: `Demand feed ${secret}`,
      },
      secrets: { feedToken: secret },
      isDryRun: true,
    });
    await action().handler(context);

    const log = logger.lines.join('\n');
    expect(outputs.stackName).toBe('forecast-secret-demand');
    expect(log).toContain('forecast-pipelines:description=Demand feed ***');
    expect(log).not.toContain(secret);
  });

  it('asks for the dependency stack when it is missing', async () => {
    const { context } = createTestContext({
      input: {
        ...baseInput,
        name: 'orphan-demand',
        dependencyStackName: 'no-such-dependency',
      },
    });
    await expect(action().handler(context)).rejects.toThrow(
      /Stack no-such-dependency does not exist .*run the dependency template first/,
    );
    await expect(stackExists('forecast-orphan-demand')).resolves.toBe(false);
  });
});
