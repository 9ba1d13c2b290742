import fs from 'node:fs';
import path from 'node:path';
import { CONTEXT, ROLE_ARN, createTestService, namedError } from './testing';

const PASS = {
  StartAt: 'Done',
  States: { Done: { Type: 'Pass', End: true } },
};

const HANG = {
  StartAt: 'Train',
  States: {
    Train: {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:forecast:createAutoPredictor',
      End: true,
    },
  },
};

describe('StepFunctionsService', () => {
  let sandbox: ReturnType<typeof createTestService>;

  beforeEach(() => {
    sandbox = createTestService();
  });

  afterEach(() => sandbox.close());

  describe('state machines', () => {
    it('creates, describes, updates and deletes', async () => {
      const arn = await sandbox.createMachine('forecast-demo-workflow', PASS);
      expect(arn).toBe(
        'arn:aws:states:us-east-1:000000000000:stateMachine:forecast-demo-workflow',
      );

      const described = await sandbox.call('DescribeStateMachine', {
        stateMachineArn: arn,
      });
      expect(described).toMatchObject({
        name: 'forecast-demo-workflow',
        status: 'ACTIVE',
        type: 'STANDARD',
        roleArn: ROLE_ARN,
      });
      expect(JSON.parse(described.definition)).toEqual(PASS);
      expect(typeof described.creationDate).toBe('number');

      const changed = { ...PASS, Comment: 'second revision' };
      const updated = await sandbox.call('UpdateStateMachine', {
        stateMachineArn: arn,
        definition: JSON.stringify(changed),
      });
      expect(updated.revisionId).not.toBe(described.revisionId);
      const after = await sandbox.call('DescribeStateMachine', {
        stateMachineArn: arn,
      });
      expect(JSON.parse(after.definition)).toEqual(changed);

      await sandbox.call('DeleteStateMachine', { stateMachineArn: arn });
      await expect(
        sandbox.call('DescribeStateMachine', { stateMachineArn: arn }),
      ).rejects.toMatchObject({ code: 'StateMachineDoesNotExist' });
    });

    it('returns the same ARN for an identical create', async () => {
      const first = await sandbox.createMachine('same', PASS);
      const second = await sandbox.createMachine('same', PASS);
      expect(second).toBe(first);
      await expect(
        sandbox.createMachine('same', { ...PASS, Comment: 'other' }),
      ).rejects.toMatchObject({ code: 'StateMachineAlreadyExists' });
    });

    it('raises InvalidDefinition with the validator messages', async () => {
      await expect(
        sandbox.createMachine('broken', {
          StartAt: 'A',
          States: { A: { Type: 'Pass', Next: 'Missing' } },
        }),
      ).rejects.toMatchObject({
        code: 'InvalidDefinition',
        message: expect.stringContaining(
          "MISSING_TRANSITION_TARGET: Missing 'StartAt'|'Next'|'Default' target: Missing",
        ),
      });
      await expect(
        sandbox.call('CreateStateMachine', {
          name: 'not-json',
          definition: '{"StartAt":',
          roleArn: ROLE_ARN,
        }),
      ).rejects.toMatchObject({
        code: 'InvalidDefinition',
        message: expect.stringContaining('not valid JSON'),
      });
      await expect(
        sandbox.createMachine('jsonata', {
          QueryLanguage: 'JSONata',
          StartAt: 'A',
          States: { A: { Type: 'Pass', End: true } },
        }),
      ).rejects.toMatchObject({
        code: 'InvalidDefinition',
        message: expect.stringContaining('JSONata is not supported'),
      });
    });

    it('raises InvalidName and InvalidArn', async () => {
      for (const name of ['a'.repeat(81), 'has space', 'star*', 'a:b']) {
        await expect(sandbox.createMachine(name, PASS)).rejects.toMatchObject({
          code: 'InvalidName',
        });
      }
      await expect(
        sandbox.call('CreateStateMachine', {
          name: 'no-role',
          definition: JSON.stringify(PASS),
          roleArn: 'pipeline-role',
        }),
      ).rejects.toMatchObject({ code: 'InvalidArn' });
      await expect(
        sandbox.call('DescribeStateMachine', { stateMachineArn: 'nope' }),
      ).rejects.toMatchObject({ code: 'InvalidArn' });
    });

    it('raises StateMachineDoesNotExist', async () => {
      const stateMachineArn =
        'arn:aws:states:us-east-1:000000000000:stateMachine:missing';
      for (const operation of [
        'DescribeStateMachine',
        'StartExecution',
        'ListExecutions',
        'UpdateStateMachine',
      ]) {
        await expect(
          sandbox.call(operation, { stateMachineArn, definition: '{}' }),
        ).rejects.toMatchObject({ code: 'StateMachineDoesNotExist' });
      }
    });

    it('pages ListStateMachines by name', async () => {
      for (const name of ['c', 'a', 'b']) {
        await sandbox.createMachine(name, PASS);
      }
      const first = await sandbox.call('ListStateMachines', { maxResults: 2 });
      expect(first.stateMachines.map((m: any) => m.name)).toEqual(['a', 'b']);
      const second = await sandbox.call('ListStateMachines', {
        maxResults: 2,
        nextToken: first.nextToken,
      });
      expect(second.stateMachines.map((m: any) => m.name)).toEqual(['c']);
      expect(second.nextToken).toBeUndefined();
    });

    it('works for CloudFormation through the direct methods', async () => {
      const { stateMachineArn } = sandbox.service.createStateMachine({
        name: 'forecast-demo-import-data',
        definition: PASS,
        roleArn: ROLE_ARN,
        accountId: '111111111111',
        region: 'eu-west-1',
        tags: [{ Key: 'forecast-pipelines:role', Value: 'workload' }],
      });
      expect(stateMachineArn).toBe(
        'arn:aws:states:eu-west-1:111111111111:stateMachine:forecast-demo-import-data',
      );
      const tags = await sandbox.call('ListTagsForResource', {
        resourceArn: stateMachineArn,
      });
      expect(tags.tags).toEqual([
        { key: 'forecast-pipelines:role', value: 'workload' },
      ]);

      sandbox.service.updateStateMachine(stateMachineArn, {
        definition: JSON.stringify({ ...PASS, Comment: 'v2' }),
      });
      const execution = await sandbox.run(stateMachineArn);
      expect(execution.status).toBe('SUCCEEDED');
      expect(execution.executionArn).toMatch(
        /^arn:aws:states:eu-west-1:111111111111:execution:forecast-demo-import-data:/,
      );

      sandbox.service.deleteStateMachine(stateMachineArn);
      await expect(
        sandbox.call('DescribeExecution', {
          executionArn: execution.executionArn,
        }),
      ).rejects.toMatchObject({ code: 'ExecutionDoesNotExist' });
    });
  });

  describe('executions', () => {
    it('rejects a reused execution name', async () => {
      const arn = await sandbox.createMachine('names', PASS);
      await sandbox.run(arn, {}, 'weekly-2026-12-04');
      await expect(
        sandbox.call('StartExecution', {
          stateMachineArn: arn,
          name: 'weekly-2026-12-04',
        }),
      ).rejects.toMatchObject({
        code: 'ExecutionAlreadyExists',
        message: expect.stringContaining('weekly-2026-12-04'),
      });
      await expect(
        sandbox.call('StartExecution', { stateMachineArn: arn, name: 'a b' }),
      ).rejects.toMatchObject({ code: 'InvalidName' });
      await expect(
        sandbox.call('StartExecution', { stateMachineArn: arn, input: '{' }),
      ).rejects.toMatchObject({ code: 'InvalidExecutionInput' });
    });

    it('returns the running execution for a repeated start', async () => {
      sandbox.dispatcher.on('createAutoPredictor', () => new Promise(() => {}));
      const arn = await sandbox.createMachine('hang', HANG);
      const request = { stateMachineArn: arn, name: 'once', input: '{"a":1}' };
      const first = await sandbox.call('StartExecution', request);
      const again = await sandbox.call('StartExecution', request);
      expect(again).toEqual(first);
      await expect(
        sandbox.call('StartExecution', { ...request, input: '{"a":2}' }),
      ).rejects.toMatchObject({ code: 'ExecutionAlreadyExists' });
    });

    it('pages ListExecutions newest first with a status filter', async () => {
      sandbox.dispatcher.on('createAutoPredictor', input => {
        if (input.fail) {
          throw namedError('Forecast.InvalidInputException', 'bad');
        }
        return {};
      });
      const arn = await sandbox.createMachine('many', HANG);
      const names: string[] = [];
      for (let i = 0; i < 25; i++) {
        const execution = await sandbox.run(
          arn,
          { fail: i % 5 === 0 },
          `run-${i}`,
        );
        names.push(execution.name);
      }

      const seen: string[] = [];
      let nextToken: string | undefined;
      let pages = 0;
      do {
        const page = await sandbox.call('ListExecutions', {
          stateMachineArn: arn,
          maxResults: 10,
          nextToken,
        });
        seen.push(...page.executions.map((e: any) => e.name));
        nextToken = page.nextToken;
        pages += 1;
      } while (nextToken);
      expect(pages).toBe(3);
      expect(seen).toEqual([...names].reverse());

      const failed = await sandbox.call('ListExecutions', {
        stateMachineArn: arn,
        statusFilter: 'FAILED',
      });
      expect(failed.executions.map((e: any) => e.name)).toEqual([
        'run-20',
        'run-15',
        'run-10',
        'run-5',
        'run-0',
      ]);
      await expect(
        sandbox.call('ListExecutions', {
          stateMachineArn: arn,
          nextToken: 'garbage',
        }),
      ).rejects.toMatchObject({ code: 'InvalidToken' });
      await expect(
        sandbox.call('ListExecutions', {
          stateMachineArn: arn,
          statusFilter: 'DONE',
        }),
      ).rejects.toMatchObject({ code: 'ValidationException' });
    });

    it('pages GetExecutionHistory in both orders', async () => {
      const arn = await sandbox.createMachine('history', {
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', Next: 'B' },
          B: { Type: 'Pass', Next: 'C' },
          C: { Type: 'Pass', End: true },
        },
      });
      const { executionArn } = await sandbox.run(arn);
      const all = await sandbox.history(executionArn);
      expect(all).toHaveLength(8);

      const read = async (reverseOrder: boolean) => {
        const ids: number[] = [];
        let nextToken: string | undefined;
        do {
          const page = await sandbox.call('GetExecutionHistory', {
            executionArn,
            maxResults: 3,
            reverseOrder,
            nextToken,
          });
          ids.push(...page.events.map((event: any) => event.id));
          nextToken = page.nextToken;
        } while (nextToken);
        return ids;
      };
      expect(await read(false)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(await read(true)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);

      const noData = await sandbox.call('GetExecutionHistory', {
        executionArn,
        includeExecutionData: false,
      });
      expect(noData.events[0].executionStartedEventDetails.input).toBe(
        undefined,
      );
    });

    it('stops an execution as ABORTED', async () => {
      sandbox.dispatcher.on('createAutoPredictor', () => new Promise(() => {}));
      const arn = await sandbox.createMachine('stop', HANG);
      const { executionArn } = await sandbox.call('StartExecution', {
        stateMachineArn: arn,
      });
      await waitForHistory(sandbox, executionArn, 'TaskStarted');

      const stopped = await sandbox.call('StopExecution', {
        executionArn,
        error: 'Operator.Stop',
        cause: 'Stopped from the portal',
      });

      expect(typeof stopped.stopDate).toBe('number');
      const execution = await sandbox.call('DescribeExecution', {
        executionArn,
      });
      expect(execution).toMatchObject({
        status: 'ABORTED',
        error: 'Operator.Stop',
        cause: 'Stopped from the portal',
      });
      const events = await sandbox.history(executionArn);
      expect(events.map(event => event.type).slice(-2)).toEqual([
        'TaskStateAborted',
        'ExecutionAborted',
      ]);
    });

    it('describes the definition an execution ran with', async () => {
      const arn = await sandbox.createMachine('revisions', PASS);
      const { executionArn } = await sandbox.run(arn);
      await sandbox.call('UpdateStateMachine', {
        stateMachineArn: arn,
        definition: JSON.stringify({ ...PASS, Comment: 'v2' }),
      });
      const described = await sandbox.call('DescribeStateMachineForExecution', {
        executionArn,
      });
      expect(JSON.parse(described.definition)).toEqual(PASS);
    });

    it('fails running executions of a deleted state machine', async () => {
      sandbox.dispatcher.on('createAutoPredictor', () => new Promise(() => {}));
      const arn = await sandbox.createMachine('deleted', HANG);
      const { executionArn } = await sandbox.call('StartExecution', {
        stateMachineArn: arn,
      });
      await waitForHistory(sandbox, executionArn, 'TaskStarted');

      await sandbox.call('DeleteStateMachine', { stateMachineArn: arn });

      let remaining = [];
      for (let i = 0; i < 100; i++) {
        remaining = (await sandbox.call('ListStateMachines', {})).stateMachines;
        if (remaining.length === 0) {
          break;
        }
        await new Promise(resolve => setTimeout(resolve, 10));
      }
      expect(remaining).toEqual([]);
      await expect(
        sandbox.call('DescribeExecution', { executionArn }),
      ).rejects.toMatchObject({ code: 'ExecutionDoesNotExist' });
    });
  });

  describe('nested executions', () => {
    it('runs startExecution.sync:2 as a real child execution', async () => {
      sandbox.dispatcher.on('createDatasetGroup', parameters => ({
        DatasetGroupArn: `arn:group/${parameters.name}`,
      }));
      const child = await sandbox.createMachine('child', {
        StartAt: 'Create',
        States: {
          Create: {
            Type: 'Task',
            Resource: 'arn:aws:states:::aws-sdk:forecast:createDatasetGroup',
            End: true,
          },
        },
      });
      const parent = await sandbox.createMachine('parent', {
        StartAt: 'RunChild',
        States: {
          RunChild: {
            Type: 'Task',
            Resource: 'arn:aws:states:::states:startExecution.sync:2',
            Parameters: {
              StateMachineArn: child,
              Input: { 'name.$': '$.group' },
              'Name.$': "States.Format('{}-child', $$.Execution.Name)",
            },
            ResultSelector: { 'group.$': '$.Output.DatasetGroupArn' },
            End: true,
          },
        },
      });

      const execution = await sandbox.run(parent, { group: 'demand' }, 'p1');

      expect(execution.status).toBe('SUCCEEDED');
      expect(JSON.parse(execution.output)).toEqual({
        group: 'arn:group/demand',
      });
      const children = await sandbox.call('ListExecutions', {
        stateMachineArn: child,
      });
      expect(children.executions).toHaveLength(1);
      expect(children.executions[0]).toMatchObject({
        name: 'p1-child',
        status: 'SUCCEEDED',
      });
      const events = await sandbox.history(execution.executionArn);
      const succeeded = events.find(event => event.type === 'TaskSucceeded');
      const output = JSON.parse(succeeded.taskSucceededEventDetails.output);
      expect(output).toMatchObject({
        ExecutionArn: children.executions[0].executionArn,
        Status: 'SUCCEEDED',
        Output: { DatasetGroupArn: 'arn:group/demand' },
        Input: { name: 'demand' },
      });
      expect(typeof output.StartDate).toBe('number');
    });

    it('fails the parent Task with States.TaskFailed', async () => {
      const child = await sandbox.createMachine('failing-child', {
        StartAt: 'Stop',
        States: { Stop: { Type: 'Fail', Error: 'NoData', Cause: 'empty' } },
      });
      const parent = await sandbox.createMachine('catching-parent', {
        StartAt: 'RunChild',
        States: {
          RunChild: {
            Type: 'Task',
            Resource: 'arn:aws:states:::states:startExecution.sync',
            Parameters: { StateMachineArn: child },
            Catch: [
              {
                ErrorEquals: ['States.TaskFailed'],
                ResultPath: '$.failure',
                Next: 'Handled',
              },
            ],
            End: true,
          },
          Handled: { Type: 'Pass', End: true },
        },
      });

      const execution = await sandbox.run(parent);

      expect(execution.status).toBe('SUCCEEDED');
      const failure = JSON.parse(execution.output).failure;
      expect(failure.Error).toBe('States.TaskFailed');
      expect(JSON.parse(failure.Cause)).toMatchObject({
        Status: 'FAILED',
        Error: 'NoData',
        Cause: 'empty',
      });
    });

    it('stops the child when the parent is stopped', async () => {
      const child = await sandbox.createMachine('slow-child', {
        StartAt: 'Pause',
        States: { Pause: { Type: 'Wait', Seconds: 86400, End: true } },
      });
      const parent = await sandbox.createMachine('stopped-parent', {
        StartAt: 'RunChild',
        States: {
          RunChild: {
            Type: 'Task',
            Resource: 'arn:aws:states:::states:startExecution.sync:2',
            Parameters: { StateMachineArn: child, Name: 'only-child' },
            End: true,
          },
        },
      });
      const { executionArn } = await sandbox.call('StartExecution', {
        stateMachineArn: parent,
      });
      await waitForHistory(sandbox, executionArn, 'TaskStarted');

      await sandbox.call('StopExecution', { executionArn });

      const childArn =
        'arn:aws:states:us-east-1:000000000000:execution:slow-child:only-child';
      const stopped = await sandbox.waitForEnd(childArn);
      expect(stopped.status).toBe('ABORTED');
      expect(stopped.cause).toContain(executionArn);
    });

    it('names a missing child state machine in the error', async () => {
      const parent = await sandbox.createMachine('orphan', {
        StartAt: 'RunChild',
        States: {
          RunChild: {
            Type: 'Task',
            Resource: 'arn:aws:states:::states:startExecution.sync:2',
            Parameters: {
              StateMachineArn:
                'arn:aws:states:us-east-1:000000000000:stateMachine:gone',
            },
            End: true,
          },
        },
      });

      const execution = await sandbox.run(parent);

      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe(
        'StepFunctions.StateMachineDoesNotExistException',
      );
    });
  });

  describe('persistence', () => {
    it('keeps finished executions and fails RUNNING ones on restart', async () => {
      sandbox.dispatcher.on('createAutoPredictor', input =>
        input.hang ? new Promise(() => {}) : { PredictorArn: 'arn:p' },
      );
      const arn = await sandbox.createMachine('restart', HANG);
      const finished = await sandbox.run(arn, { hang: false }, 'finished');
      const { executionArn: runningArn } = await sandbox.call(
        'StartExecution',
        { stateMachineArn: arn, name: 'running', input: '{"hang":true}' },
      );
      await waitForHistory(sandbox, runningArn, 'TaskStarted');
      await sandbox.close(true);

      const restarted = createTestService({ dataDir: sandbox.dataDir });
      sandbox = restarted;
      await restarted.service.recover();
      restarted.dispatcher.on('createAutoPredictor', () => ({}));

      const kept = await restarted.call('DescribeExecution', {
        executionArn: finished.executionArn,
      });
      expect(kept).toMatchObject({
        status: 'SUCCEEDED',
        output: finished.output,
      });
      expect(await restarted.history(finished.executionArn)).toHaveLength(7);

      const interrupted = await restarted.call('DescribeExecution', {
        executionArn: runningArn,
      });
      expect(interrupted.status).toBe('FAILED');
      expect(interrupted.error).toBe('Sandbox.Restarted');
      expect(interrupted.cause).toContain('restarted');
      const events = await restarted.history(runningArn);
      expect(events.map(event => event.type)).toEqual([
        'ExecutionStarted',
        'TaskStateEntered',
        'TaskScheduled',
        'TaskStarted',
        'ExecutionFailed',
      ]);
      expect(events[4].previousEventId).toBe(4);

      const again = await restarted.run(arn, { hang: false }, 'after');
      expect(again.status).toBe('SUCCEEDED');
    });

    it('skips a torn line in the execution index', async () => {
      const arn = await sandbox.createMachine('torn', PASS);
      const done = await sandbox.run(arn, {}, 'kept');
      await sandbox.close(true);
      const index = path.join(
        sandbox.dataDir,
        'stepfunctions',
        'executions.jsonl',
      );
      fs.appendFileSync(index, '{"executionArn":"arn:half');

      const restarted = createTestService({ dataDir: sandbox.dataDir });
      sandbox = restarted;
      const after = await restarted.run(arn, {}, 'new');

      expect(after.status).toBe('SUCCEEDED');
      const list = await restarted.call('ListExecutions', {
        stateMachineArn: arn,
      });
      expect(list.executions.map((e: any) => e.name)).toEqual(['new', 'kept']);
      expect(done.name).toBe('kept');
    });
  });

  it('rejects an unknown operation', async () => {
    await expect(
      sandbox.service.handle('SendTaskSuccess', {}, CONTEXT),
    ).rejects.toMatchObject({ code: 'UnknownOperationException' });
  });
});

async function waitForHistory(
  sandbox: ReturnType<typeof createTestService>,
  executionArn: string,
  type: string,
) {
  for (let i = 0; i < 200; i++) {
    const events = await sandbox.history(executionArn);
    if (events.some(event => event.type === type)) {
      return;
    }
    await new Promise(resolve => setTimeout(resolve, 5));
  }
  throw new Error(`No ${type} event in ${executionArn}`);
}
