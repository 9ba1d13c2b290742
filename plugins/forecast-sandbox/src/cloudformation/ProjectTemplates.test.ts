import {
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { HeadBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetScheduleCommand } from '@aws-sdk/client-scheduler';
import {
  DescribeStateMachineCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-sfn';
import { GetParametersByPathCommand } from '@aws-sdk/client-ssm';
import { readTemplateBody } from '@forecast-pipelines/cloudformation';
import {
  outputsOf,
  startTestSandbox,
  type TestSandbox,
  waitForStack,
} from '../__testUtils__/testSandbox';

/** The failure events of a stack, for a readable assertion message. */
async function failures(
  test: TestSandbox,
  stackName: string,
): Promise<string[]> {
  const { StackEvents } = await test.clients.cloudFormation.send(
    new DescribeStackEventsCommand({ StackName: stackName }),
  );
  return StackEvents!
    .filter(e => e.ResourceStatus!.endsWith('FAILED'))
    .map(e => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`);
}

describe('project templates', () => {
  let test: TestSandbox;

  beforeEach(async () => {
    test = await startTestSandbox();
  });

  afterEach(async () => {
    await test.stop();
  });

  it('deploys, updates and deletes the dependency and workload stacks', async () => {
    const { cloudFormation, s3, sfn, ssm, scheduler } = test.clients;

    await cloudFormation.send(
      new CreateStackCommand({
        StackName: 'forecast-dependency',
        TemplateBody: readTemplateBody('forecast-dependency'),
        Parameters: [
          { ParameterKey: 'BucketName', ParameterValue: 'forecast-data' },
        ],
        Capabilities: ['CAPABILITY_IAM'],
      }),
    );
    const dependency = await waitForStack(
      cloudFormation,
      'forecast-dependency',
    );
    expect(await failures(test, 'forecast-dependency')).toEqual([]);
    expect(dependency.StackStatus).toBe('CREATE_COMPLETE');
    expect(Object.keys(outputsOf(dependency)).sort()).toEqual(
      expect.arrayContaining([
        'BucketArn',
        'BucketName',
        'ForecastRoleArn',
        'PipelineRoleArn',
      ]),
    );

    // The workload template is larger than TemplateBody allows, so it goes
    // through S3 as it would on AWS.
    const workloadBody = readTemplateBody('forecast-workload');
    await s3.send(
      new PutObjectCommand({
        Bucket: 'forecast-data',
        Key: 'templates/forecast-workload.yaml',
        Body: workloadBody,
      }),
    );
    const templateUrl = `${test.sandbox.endpoint}/forecast-data/templates/forecast-workload.yaml`;
    const parameters = [
      {
        ParameterKey: 'DependencyStackName',
        ParameterValue: 'forecast-dependency',
      },
      { ParameterKey: 'DatasetGroupName', ParameterValue: 'weekly_demand' },
      {
        ParameterKey: 'ScheduleExpression',
        ParameterValue: 'cron(0 6 ? * MON *)',
      },
    ];
    await cloudFormation.send(
      new CreateStackCommand({
        StackName: 'forecast-weekly-demand',
        TemplateURL: templateUrl,
        Parameters: parameters,
        Capabilities: ['CAPABILITY_IAM'],
      }),
    );
    const workload = await waitForStack(
      cloudFormation,
      'forecast-weekly-demand',
    );
    expect(await failures(test, 'forecast-weekly-demand')).toEqual([]);
    expect(workload.StackStatus).toBe('CREATE_COMPLETE');

    const outputs = outputsOf(workload);
    expect(outputs.BucketName).toBe('forecast-data');
    expect(outputs.InputDataPath).toBe(
      's3://forecast-data/forecast-weekly-demand/input/',
    );
    expect(outputs.ScheduleName).toBeDefined();
    const machine = await sfn.send(
      new DescribeStateMachineCommand({
        stateMachineArn: outputs.WorkflowStateMachineArn,
      }),
    );
    expect(machine.name).toBe('forecast-weekly-demand-workflow');
    const { tags } = await sfn.send(
      new ListTagsForResourceCommand({
        resourceArn: outputs.WorkflowStateMachineArn,
      }),
    );
    expect(tags).toEqual(
      expect.arrayContaining([
        {
          key: 'aws:cloudformation:stack-name',
          value: 'forecast-weekly-demand',
        },
        { key: 'aws:cloudformation:logical-id', value: 'WorkflowStateMachine' },
      ]),
    );
    const schedule = await scheduler.send(
      new GetScheduleCommand({ Name: outputs.ScheduleName }),
    );
    expect(schedule.Target!.Arn).toBe(outputs.WorkflowStateMachineArn);
    const { Parameters } = await ssm.send(
      new GetParametersByPathCommand({
        Path: '/forecast/forecast-weekly-demand',
        Recursive: true,
        MaxResults: 10,
      }),
    );
    expect(Parameters!.length).toBeGreaterThan(0);

    await cloudFormation.send(
      new UpdateStackCommand({
        StackName: 'forecast-weekly-demand',
        TemplateURL: templateUrl,
        Parameters: [
          ...parameters.slice(0, 2),
          { ParameterKey: 'ScheduleExpression', ParameterValue: '' },
        ],
        Capabilities: ['CAPABILITY_IAM'],
      }),
    );
    const updated = await waitForStack(
      cloudFormation,
      'forecast-weekly-demand',
    );
    expect(await failures(test, 'forecast-weekly-demand')).toEqual([]);
    expect(updated.StackStatus).toBe('UPDATE_COMPLETE');
    expect(outputsOf(updated).ScheduleName).toBeUndefined();
    await expect(
      scheduler.send(new GetScheduleCommand({ Name: outputs.ScheduleName })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });

    await expect(
      cloudFormation.send(
        new UpdateStackCommand({
          StackName: 'forecast-weekly-demand',
          UsePreviousTemplate: true,
          Parameters: [
            ...parameters.slice(0, 2),
            { ParameterKey: 'ScheduleExpression', ParameterValue: '' },
          ],
          Capabilities: ['CAPABILITY_IAM'],
        }),
      ),
    ).rejects.toMatchObject({ message: 'No updates are to be performed.' });

    await cloudFormation.send(
      new DeleteStackCommand({ StackName: 'forecast-weekly-demand' }),
    );
    expect(
      (await waitForStack(cloudFormation, workload.StackId!)).StackStatus,
    ).toBe('DELETE_COMPLETE');
    await expect(
      sfn.send(
        new DescribeStateMachineCommand({
          stateMachineArn: outputs.WorkflowStateMachineArn,
        }),
      ),
    ).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });

    await cloudFormation.send(
      new DeleteStackCommand({ StackName: 'forecast-dependency' }),
    );
    expect(
      (await waitForStack(cloudFormation, dependency.StackId!)).StackStatus,
    ).toBe('DELETE_COMPLETE');
    // The bucket has DeletionPolicy Retain, so a new dependency stack can
    // take it over with UseExistingBucket.
    await expect(
      s3.send(new HeadBucketCommand({ Bucket: 'forecast-data' })),
    ).resolves.toBeDefined();
    await cloudFormation.send(
      new CreateStackCommand({
        StackName: 'forecast-dependency-again',
        TemplateBody: readTemplateBody('forecast-dependency'),
        Parameters: [
          { ParameterKey: 'BucketName', ParameterValue: 'forecast-data' },
          { ParameterKey: 'UseExistingBucket', ParameterValue: 'true' },
        ],
        Capabilities: ['CAPABILITY_IAM'],
      }),
    );
    const again = await waitForStack(
      cloudFormation,
      'forecast-dependency-again',
    );
    expect(await failures(test, 'forecast-dependency-again')).toEqual([]);
    expect(again.StackStatus).toBe('CREATE_COMPLETE');
    expect(outputsOf(again).BucketName).toBe('forecast-data');
  });
});
