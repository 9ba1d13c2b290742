import { CreateStackCommand } from '@aws-sdk/client-cloudformation';
import {
  CreateScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
} from '@aws-sdk/client-scheduler';
import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import {
  outputsOf,
  startTestSandbox,
  type TestSandbox,
  waitForStack,
} from '../__testUtils__/testSandbox';

const TEMPLATE = `
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] }
  Machine:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      StateMachineName: !Sub '\${AWS::StackName}-tick'
      RoleArn: !GetAtt Role.Arn
      Definition:
        StartAt: Done
        States:
          Done: { Type: Pass, End: true }
  Schedule:
    Type: AWS::Scheduler::Schedule
    Properties:
      ScheduleExpression: rate(1 minute)
      FlexibleTimeWindow: { Mode: 'OFF' }
      Target:
        Arn: !Ref Machine
        RoleArn: !GetAtt Role.Arn
        Input: '{"source":"schedule"}'
Outputs:
  MachineArn: { Value: !Ref Machine }
  ScheduleName: { Value: !Ref Schedule }
`;

async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

describe('Scheduler', () => {
  let test: TestSandbox;

  beforeEach(async () => {
    // One minute of schedule time passes in 100 ms.
    test = await startTestSandbox({ scheduleCompression: 600 });
  });

  afterEach(async () => {
    await test.stop();
  });

  it('starts executions of a stack schedule', async () => {
    const { cloudFormation, scheduler, sfn } = test.clients;
    await cloudFormation.send(
      new CreateStackCommand({
        StackName: 'ticker',
        TemplateBody: TEMPLATE,
        Capabilities: ['CAPABILITY_IAM'],
      }),
    );
    const stack = await waitForStack(cloudFormation, 'ticker');
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    const { MachineArn, ScheduleName } = outputsOf(stack);

    const schedule = await scheduler.send(
      new GetScheduleCommand({ Name: ScheduleName }),
    );
    expect(schedule.ScheduleExpression).toBe('rate(1 minute)');
    expect(schedule.State).toBe('ENABLED');
    expect(schedule.CreationDate).toBeInstanceOf(Date);

    const { executions } = await waitFor(
      () =>
        sfn.send(new ListExecutionsCommand({ stateMachineArn: MachineArn })),
      result => (result.executions ?? []).length >= 2,
    );
    expect(executions!.length).toBeGreaterThanOrEqual(2);
    const record = test.sandbox.services.scheduler.find(ScheduleName);
    expect(record.invocations).toBeGreaterThanOrEqual(2);
    expect(record.lastError).toBeUndefined();

    // After a restart the stored schedule is armed again and keeps firing.
    await test.restart();
    const listed = await test.clients.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: MachineArn }),
    );
    const before = listed.executions!.length;
    const after = await waitFor(
      () =>
        test.clients.sfn.send(
          new ListExecutionsCommand({ stateMachineArn: MachineArn }),
        ),
      result => (result.executions ?? []).length >= before + 2,
    );
    expect(after.executions!.length).toBeGreaterThanOrEqual(before + 2);
  });

  it('rejects bad expressions and unknown schedules', async () => {
    const { scheduler } = test.clients;
    const base = {
      FlexibleTimeWindow: { Mode: 'OFF' as const },
      Target: {
        Arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:x',
        RoleArn: 'arn:aws:iam::000000000000:role/r',
      },
    };
    await expect(
      scheduler.send(
        new CreateScheduleCommand({
          Name: 'bad',
          ScheduleExpression: 'cron(0 6 * * MON *)',
          ...base,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining(
        'exactly one of day-of-month and day-of-week must be "?"',
      ),
    });
    await expect(
      scheduler.send(
        new CreateScheduleCommand({
          Name: 'bad',
          ScheduleExpression: 'rate(5 minute)',
          ...base,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('"minutes"'),
    });
    await expect(
      scheduler.send(new GetScheduleCommand({ Name: 'none' })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });

    await scheduler.send(
      new CreateScheduleCommand({
        Name: 'weekly',
        ScheduleExpression: 'cron(0 6 ? * MON *)',
        ...base,
      }),
    );
    await expect(
      scheduler.send(
        new CreateScheduleCommand({
          Name: 'weekly',
          ScheduleExpression: 'rate(1 day)',
          ...base,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ConflictException' });
    const { Schedules } = await scheduler.send(new ListSchedulesCommand({}));
    expect(Schedules!.map(s => s.Name)).toEqual(['weekly']);
  });
});
