import { createHash } from 'node:crypto';
import { createTestService, namedError } from './testing';

const CREATE_GROUP = 'arn:aws:states:::aws-sdk:forecast:createDatasetGroup';

describe('Step Functions executions', () => {
  let sandbox: ReturnType<typeof createTestService>;

  beforeEach(() => {
    sandbox = createTestService();
  });

  afterEach(() => sandbox.close());

  it('records a Task in AWS history order', async () => {
    sandbox.dispatcher.on('createDatasetGroup', parameters => ({
      DatasetGroupArn: `arn:group/${parameters.DatasetGroupName}`,
    }));
    const arn = await sandbox.createMachine('task', {
      StartAt: 'Create',
      States: {
        Create: {
          Type: 'Task',
          Resource: CREATE_GROUP,
          Parameters: { 'DatasetGroupName.$': '$.name', Domain: 'RETAIL' },
          End: true,
        },
      },
    });

    const execution = await sandbox.run(arn, { name: 'demand' });

    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output)).toEqual({
      DatasetGroupArn: 'arn:group/demand',
    });
    const events = await sandbox.history(execution.executionArn);
    expect(events.map(event => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events.map(event => event.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(events.map(event => event.previousEventId)).toEqual([
      0, 1, 2, 3, 4, 5, 6,
    ]);
    expect(events[2].taskScheduledEventDetails).toMatchObject({
      resourceType: 'aws-sdk:forecast',
      resource: 'createDatasetGroup',
      region: 'us-east-1',
    });
    expect(JSON.parse(events[2].taskScheduledEventDetails.parameters)).toEqual({
      DatasetGroupName: 'demand',
      Domain: 'RETAIL',
    });
    expect(sandbox.dispatcher.calls[0].context).toMatchObject({
      executionArn: execution.executionArn,
      stateMachineArn: arn,
      stateName: 'Create',
      accountId: '000000000000',
    });
  });

  it('catches a named Task error', async () => {
    sandbox.dispatcher.on('createDatasetGroup', () => {
      throw namedError(
        'Forecast.ResourceAlreadyExistsException',
        'A dataset group named demand already exists',
      );
    });
    const arn = await sandbox.createMachine('catch', {
      StartAt: 'Create',
      States: {
        Create: {
          Type: 'Task',
          Resource: CREATE_GROUP,
          Catch: [
            {
              ErrorEquals: ['Forecast.ResourceAlreadyExistsException'],
              ResultPath: '$.error',
              Next: 'Exists',
            },
          ],
          End: true,
        },
        Exists: { Type: 'Pass', End: true },
      },
    });

    const execution = await sandbox.run(arn, { name: 'demand' });

    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output).error).toEqual({
      Error: 'Forecast.ResourceAlreadyExistsException',
      Cause: 'A dataset group named demand already exists',
    });
    const events = await sandbox.history(execution.executionArn);
    const failed = events.find(event => event.type === 'TaskFailed');
    expect(failed.taskFailedEventDetails).toEqual({
      resourceType: 'aws-sdk:forecast',
      resource: 'createDatasetGroup',
      error: 'Forecast.ResourceAlreadyExistsException',
      cause: 'A dataset group named demand already exists',
    });
    expect(events.map(event => event.type)).toContain('PassStateEntered');
  });

  it('fails with the error and cause of an uncaught Task error', async () => {
    sandbox.dispatcher.on('createDatasetGroup', () => {
      throw namedError('Forecast.InvalidInputException', 'Domain is invalid');
    });
    const arn = await sandbox.createMachine('uncaught', {
      StartAt: 'Create',
      States: { Create: { Type: 'Task', Resource: CREATE_GROUP, End: true } },
    });

    const execution = await sandbox.run(arn);

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('Forecast.InvalidInputException');
    expect(execution.cause).toBe('Domain is invalid');
    const events = await sandbox.history(execution.executionArn);
    expect(events.map(event => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskFailed',
      'ExecutionFailed',
    ]);
    expect(events[events.length - 1]).toMatchObject({
      type: 'ExecutionFailed',
      executionFailedEventDetails: {
        error: 'Forecast.InvalidInputException',
        cause: 'Domain is invalid',
      },
    });
  });

  it('retries with compressed intervals', async () => {
    let attempts = 0;
    sandbox.dispatcher.on('createDatasetGroup', () => {
      attempts += 1;
      if (attempts < 3) {
        throw namedError('Forecast.LimitExceededException', 'Too many jobs');
      }
      return { attempts };
    });
    // Uncompressed, these retries would wait 60 s and then 120 s.
    const arn = await sandbox.createMachine('retry', {
      StartAt: 'Create',
      States: {
        Create: {
          Type: 'Task',
          Resource: CREATE_GROUP,
          Retry: [
            {
              ErrorEquals: ['Forecast.LimitExceededException'],
              IntervalSeconds: 60,
              BackoffRate: 2,
              MaxAttempts: 3,
            },
          ],
          End: true,
        },
      },
    });

    const execution = await sandbox.run(arn);

    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output)).toEqual({ attempts: 3 });
    const events = await sandbox.history(execution.executionArn);
    const types = events.map(event => event.type);
    expect(types.filter(type => type === 'TaskScheduled')).toHaveLength(3);
    expect(types.filter(type => type === 'TaskFailed')).toHaveLength(2);
    const failures = events.filter(event => event.type === 'TaskFailed');
    const retried = events.filter(event => event.type === 'TaskScheduled');
    // 60 s and 120 s divided by 1000, minus timer slack.
    expect(retried[1].timestamp - failures[0].timestamp).toBeGreaterThan(0.05);
    expect(retried[2].timestamp - failures[1].timestamp).toBeGreaterThan(0.11);
  });

  it('fails after the last retry', async () => {
    sandbox.dispatcher.on('createDatasetGroup', () => {
      throw namedError('Forecast.LimitExceededException', 'Too many jobs');
    });
    const arn = await sandbox.createMachine('retry-out', {
      StartAt: 'Create',
      States: {
        Create: {
          Type: 'Task',
          Resource: CREATE_GROUP,
          Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 2 }],
          End: true,
        },
      },
    });

    const execution = await sandbox.run(arn);

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('Forecast.LimitExceededException');
    expect(sandbox.dispatcher.calls).toHaveLength(3);
  });

  it('compresses Wait states and records them', async () => {
    const arn = await sandbox.createMachine('wait', {
      StartAt: 'Pause',
      States: {
        Pause: { Type: 'Wait', Seconds: 300, Next: 'PauseFromInput' },
        PauseFromInput: { Type: 'Wait', SecondsPath: '$.delay', End: true },
      },
    });

    const execution = await sandbox.run(arn, { delay: 200 });

    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output)).toEqual({ delay: 200 });
    const events = await sandbox.history(execution.executionArn);
    expect(events.map(event => event.type)).toEqual([
      'ExecutionStarted',
      'WaitStateEntered',
      'WaitStateExited',
      'WaitStateEntered',
      'WaitStateExited',
      'ExecutionSucceeded',
    ]);
    // 300 s and 200 s at a compression of 1000 are 0.3 s and 0.2 s.
    expect(events[2].timestamp - events[1].timestamp).toBeGreaterThan(0.29);
    expect(events[4].timestamp - events[3].timestamp).toBeGreaterThan(0.19);
    expect(events[3].stateEnteredEventDetails.name).toBe('PauseFromInput');
  });

  it('rejects a SecondsPath that is not a number', async () => {
    const arn = await sandbox.createMachine('bad-wait', {
      StartAt: 'Pause',
      States: { Pause: { Type: 'Wait', SecondsPath: '$.delay', End: true } },
    });

    const execution = await sandbox.run(arn, { delay: 'soon' });

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('States.Runtime');
    expect(execution.cause).toContain('SecondsPath $.delay');
  });

  it('times out a Task after its TimeoutSeconds', async () => {
    sandbox.dispatcher.on('createDatasetGroup', () => new Promise(() => {}));
    const arn = await sandbox.createMachine('task-timeout', {
      StartAt: 'Create',
      States: {
        Create: {
          Type: 'Task',
          Resource: CREATE_GROUP,
          TimeoutSeconds: 1,
          End: true,
        },
      },
    });

    const execution = await sandbox.run(arn);

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('States.Timeout');
    const events = await sandbox.history(execution.executionArn);
    expect(events.map(event => event.type).slice(-2)).toEqual([
      'TaskTimedOut',
      'ExecutionFailed',
    ]);
    expect(events[events.length - 2].taskTimedOutEventDetails).toMatchObject({
      resourceType: 'aws-sdk:forecast',
      error: 'States.Timeout',
    });
  });

  it('times out an execution after its TimeoutSeconds', async () => {
    const arn = await sandbox.createMachine('execution-timeout', {
      TimeoutSeconds: 1,
      StartAt: 'Pause',
      States: { Pause: { Type: 'Wait', Seconds: 86400, End: true } },
    });

    const execution = await sandbox.run(arn);

    expect(execution.status).toBe('TIMED_OUT');
    expect(execution.error).toBe('States.Timeout');
    const events = await sandbox.history(execution.executionArn);
    expect(events[events.length - 1].type).toBe('ExecutionTimedOut');
  });

  it('runs Choice, Map and Parallel', async () => {
    sandbox.dispatcher.on('describeDatasetImportJob', parameters => ({
      Status: parameters.DatasetImportJobArn.endsWith('b#1')
        ? 'CREATE_FAILED'
        : 'ACTIVE',
    }));
    const arn = await sandbox.createMachine('flow', {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Jobs',
              States: {
                Jobs: {
                  Type: 'Map',
                  ItemsPath: '$.jobs',
                  ItemSelector: {
                    'job.$': '$$.Map.Item.Value',
                    'index.$': '$$.Map.Item.Index',
                  },
                  ItemProcessor: {
                    ProcessorConfig: { Mode: 'INLINE' },
                    StartAt: 'Describe',
                    States: {
                      Describe: {
                        Type: 'Task',
                        Resource:
                          'arn:aws:states:::aws-sdk:forecast:describeDatasetImportJob',
                        Parameters: {
                          'DatasetImportJobArn.$':
                            "States.Format('{}#{}', $.job, $.index)",
                        },
                        OutputPath: '$.Status',
                        End: true,
                      },
                    },
                  },
                  End: true,
                },
              },
            },
            {
              StartAt: 'Constant',
              States: { Constant: { Type: 'Pass', Result: 'side', End: true } },
            },
          ],
          Next: 'AnyFailed',
        },
        AnyFailed: {
          Type: 'Choice',
          Choices: [
            {
              Variable: '$[0][1]',
              StringMatches: '*FAILED',
              Next: 'Failed',
            },
          ],
          Default: 'Done',
        },
        Failed: { Type: 'Fail', Error: 'ImportFailed', Cause: 'job b failed' },
        Done: { Type: 'Succeed' },
      },
    });

    const execution = await sandbox.run(arn, { jobs: ['job-a', 'job-b'] });

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('ImportFailed');
    expect(execution.cause).toBe('job b failed');
    const events = await sandbox.history(execution.executionArn);
    const types = events.map(event => event.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'ParallelStateEntered',
        'ParallelStateStarted',
        'MapStateEntered',
        'MapStateStarted',
        'MapIterationStarted',
        'MapIterationSucceeded',
        'MapStateSucceeded',
        'ParallelStateSucceeded',
        'ChoiceStateEntered',
        'ChoiceStateExited',
        'FailStateEntered',
        'ExecutionFailed',
      ]),
    );
    const mapStarted = events.find(event => event.type === 'MapStateStarted');
    expect(mapStarted.mapStateStartedEventDetails).toEqual({ length: 2 });
    expect(types.indexOf('ParallelStateEntered')).toBeLessThan(
      types.indexOf('MapStateEntered'),
    );
  });

  it('evaluates intrinsic functions and the context object', async () => {
    const arn = await sandbox.createMachine('intrinsics', {
      StartAt: 'Compute',
      States: {
        Compute: {
          Type: 'Pass',
          Parameters: {
            'label.$': "States.Format('{}-{}', $.stack, $$.Execution.Name)",
            'hash.$': "States.Hash($.stack, 'SHA-256')",
            'parts.$': "States.StringSplit($.types, ',')",
            'second.$':
              "States.ArrayGetItem(States.StringSplit($.types, ','), 1)",
            'execution.$': '$$.Execution.Id',
            'machine.$': '$$.StateMachine.Name',
            'input.$': '$$.Execution.Input.stack',
          },
          End: true,
        },
      },
    });

    const execution = await sandbox.run(
      arn,
      { stack: 'forecast-weekly', types: '0.1,0.5,0.9' },
      'run-1',
    );

    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output)).toEqual({
      label: 'forecast-weekly-run-1',
      hash: createHash('sha256').update('forecast-weekly').digest('hex'),
      parts: ['0.1', '0.5', '0.9'],
      second: '0.5',
      execution: execution.executionArn,
      machine: 'intrinsics',
      input: 'forecast-weekly',
    });
  });
});
