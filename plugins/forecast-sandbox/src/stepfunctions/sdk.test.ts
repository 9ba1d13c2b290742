import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  InvalidArn,
  InvalidDefinition,
  InvalidName,
  ListStateMachinesCommand,
  paginateListExecutions,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  type DescribeExecutionCommandOutput,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import {
  startTestSandbox,
  type TestSandbox,
} from '../__testUtils__/testSandbox';

const ROLE_ARN = 'arn:aws:iam::000000000000:role/pipeline';

const SETTINGS = {
  StartAt: 'Save',
  States: {
    Save: {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:ssm:putParameter',
      Parameters: {
        Name: '/forecast/demo/horizon',
        'Value.$': "States.Format('{}', $.horizon)",
        Type: 'String',
        Overwrite: true,
      },
      ResultPath: null,
      Next: 'Read',
    },
    Read: {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:ssm:getParameter',
      Parameters: { Name: '/forecast/demo/horizon' },
      ResultSelector: { 'horizon.$': '$.Parameter.Value' },
      ResultPath: '$.saved',
      Next: 'ReadMissing',
    },
    ReadMissing: {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:ssm:getParameter',
      Parameters: { Name: '/forecast/demo/missing' },
      Catch: [
        {
          ErrorEquals: ['Ssm.ParameterNotFoundException'],
          ResultPath: '$.missing',
          Next: 'Done',
        },
      ],
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
};

describe('Step Functions through @aws-sdk/client-sfn', () => {
  let test: TestSandbox;
  let sfn: SFNClient;

  beforeEach(async () => {
    test = await startTestSandbox();
    sfn = test.clients.sfn;
  });

  afterEach(() => test.stop());

  async function createMachine(name: string, definition: object) {
    const created = await sfn.send(
      new CreateStateMachineCommand({
        name,
        definition: JSON.stringify(definition),
        roleArn: ROLE_ARN,
      }),
    );
    return created.stateMachineArn!;
  }

  async function waitForEnd(
    executionArn: string,
  ): Promise<DescribeExecutionCommandOutput> {
    for (let i = 0; i < 500; i++) {
      const execution = await sfn.send(
        new DescribeExecutionCommand({ executionArn }),
      );
      if (execution.status !== 'RUNNING') {
        return execution;
      }
      await new Promise(resolve => setTimeout(resolve, 10));
    }
    throw new Error(`${executionArn} is still RUNNING`);
  }

  it('runs SSM Tasks and catches their named errors', async () => {
    const stateMachineArn = await createMachine('settings', SETTINGS);

    const { executionArn, startDate } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn,
        name: 'first',
        input: JSON.stringify({ horizon: 14 }),
      }),
    );
    const execution = await waitForEnd(executionArn!);

    expect(startDate).toBeInstanceOf(Date);
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.stopDate).toBeInstanceOf(Date);
    const output = JSON.parse(execution.output!);
    expect(output.saved).toEqual({ horizon: '14' });
    expect(output.missing.Error).toBe('Ssm.ParameterNotFoundException');

    const { events } = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn }),
    );
    const types = events!.map(event => event.type);
    expect(types[0]).toBe('ExecutionStarted');
    expect(types[types.length - 1]).toBe('ExecutionSucceeded');
    expect(types).toContain('SucceedStateEntered');
    const failed = events!.find(event => event.type === 'TaskFailed');
    expect(failed!.taskFailedEventDetails).toMatchObject({
      resourceType: 'aws-sdk:ssm',
      resource: 'getParameter',
      error: 'Ssm.ParameterNotFoundException',
    });
    expect(events![0].timestamp).toBeInstanceOf(Date);
  });

  it('pages executions with the SDK paginator', async () => {
    const stateMachineArn = await createMachine('quick', {
      StartAt: 'Done',
      States: { Done: { Type: 'Pass', End: true } },
    });
    for (let i = 0; i < 7; i++) {
      const { executionArn } = await sfn.send(
        new StartExecutionCommand({ stateMachineArn, name: `run-${i}` }),
      );
      await waitForEnd(executionArn!);
    }

    const names: string[] = [];
    for await (const page of paginateListExecutions(
      { client: sfn, pageSize: 3 },
      { stateMachineArn, statusFilter: 'SUCCEEDED' },
    )) {
      expect(page.executions!.length).toBeLessThanOrEqual(3);
      names.push(...page.executions!.map(execution => execution.name!));
    }
    expect(names).toEqual([6, 5, 4, 3, 2, 1, 0].map(i => `run-${i}`));

    const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
    expect(stateMachines!.map(machine => machine.name)).toEqual(['quick']);
  });

  it('raises the modelled exceptions', async () => {
    const stateMachineArn = await createMachine('errors', {
      StartAt: 'Done',
      States: { Done: { Type: 'Pass', End: true } },
    });
    await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'x' }));

    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'x' })),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'x y' })),
    ).rejects.toBeInstanceOf(InvalidName);
    await expect(
      sfn.send(
        new CreateStateMachineCommand({
          name: 'broken',
          definition: JSON.stringify({ StartAt: 'Nowhere', States: {} }),
          roleArn: ROLE_ARN,
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidDefinition);
    await expect(
      sfn.send(
        new DescribeStateMachineCommand({
          stateMachineArn: `${stateMachineArn}-gone`,
        }),
      ),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(
      sfn.send(new DescribeExecutionCommand({ executionArn: 'not-an-arn' })),
    ).rejects.toBeInstanceOf(InvalidArn);
  });

  it('stops an execution in a Wait state', async () => {
    const stateMachineArn = await createMachine('long-wait', {
      StartAt: 'Pause',
      States: { Pause: { Type: 'Wait', Seconds: 86400, End: true } },
    });
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn }),
    );

    await sfn.send(
      new StopExecutionCommand({ executionArn, cause: 'No longer needed' }),
    );
    const execution = await waitForEnd(executionArn!);

    expect(execution.status).toBe('ABORTED');
    expect(execution.cause).toBe('No longer needed');
  });

  it('fails an execution the sandbox restart interrupted', async () => {
    // A day at a compression of 1000 still lasts 86 seconds.
    const stateMachineArn = await createMachine('interrupted', {
      StartAt: 'Pause',
      States: { Pause: { Type: 'Wait', Seconds: 86400, End: true } },
    });
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: 'before-restart' }),
    );
    const running = await sfn.send(
      new DescribeExecutionCommand({ executionArn }),
    );
    expect(running.status).toBe('RUNNING');

    await test.restart();
    sfn = test.clients.sfn;

    const execution = await sfn.send(
      new DescribeExecutionCommand({ executionArn }),
    );
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('Sandbox.Restarted');
    const { events } = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true }),
    );
    expect(events![0].type).toBe('ExecutionFailed');
    expect(events![0].executionFailedEventDetails!.cause).toContain(
      'restarted',
    );
  });
});
