import {
  CloudFormationClient,
  CloudFormationServiceException,
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  DescribeStacksCommandOutput,
  StackEvent,
  StackStatus,
} from '@aws-sdk/client-cloudformation';
import { ConfigReader } from '@backstage/config';
import { AwsClientFactory } from '@forecast-pipelines/plugin-forecast-node';
import { mockClient } from 'aws-sdk-client-mock';
import { createTestContext } from '../__testUtils__/context';
import { createDeployDependencyAction } from '../actions/deployDependency';

const STACK_ID =
  'arn:aws:cloudformation:us-east-1:123456789012:stack/forecast-dependency/1';

function awsError(name: string, message: string) {
  return new CloudFormationServiceException({
    name,
    message,
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
  });
}

function stack(status: StackStatus): DescribeStacksCommandOutput {
  return {
    Stacks: [
      {
        StackId: STACK_ID,
        StackName: 'forecast-dependency',
        StackStatus: status,
        CreationTime: new Date(),
        Outputs: [{ OutputKey: 'BucketName', OutputValue: 'demo-bucket' }],
      },
    ],
    $metadata: {},
  };
}

const event = (
  id: string,
  status: StackEvent['ResourceStatus'],
): StackEvent => ({
  EventId: id,
  StackId: STACK_ID,
  StackName: 'forecast-dependency',
  LogicalResourceId: 'DataBucket',
  ResourceType: 'AWS::S3::Bucket',
  ResourceStatus: status,
  Timestamp: new Date('2026-01-01T00:00:00Z'),
});

describe('StackDeployer error paths', () => {
  const cloudFormation = mockClient(CloudFormationClient);
  const clientFactory = AwsClientFactory.fromConfig(
    new ConfigReader({
      forecast: { aws: { accountId: '123456789012', region: 'us-east-1' } },
      aws: {
        accounts: [
          {
            accountId: '123456789012',
            accessKeyId: 'test',
            secretAccessKey: 'test',
          },
        ],
      },
    }),
  );
  const action = createDeployDependencyAction({
    clientFactory,
    pollIntervalMs: 10,
    heartbeatIntervalMs: 40,
  });

  beforeEach(() => {
    cloudFormation.reset();
  });

  afterAll(() => {
    cloudFormation.restore();
  });

  it('explains AccessDenied on CreateStack', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .rejects(
        awsError(
          'ValidationError',
          'Stack with id forecast-dependency does not exist',
        ),
      );
    cloudFormation
      .on(CreateStackCommand)
      .rejects(
        awsError(
          'AccessDenied',
          'User: arn:aws:iam::123456789012:user/backstage is not authorized to perform: cloudformation:CreateStack',
        ),
      );

    const { context } = createTestContext({
      input: { owner: 'group:default/guests' },
    });
    const failure = action.handler(context);
    await expect(failure).rejects.toThrow(
      'AWS denied cloudformation:CreateStack for forecast-dependency in account 123456789012 in us-east-1',
    );
    await expect(failure).rejects.toThrow(
      'Grant cloudformation:CreateStack to the credentials the Backstage backend uses',
    );
  });

  it('explains throttling that outlasts the SDK retries', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .rejects(awsError('Throttling', 'Rate exceeded'));

    const { context } = createTestContext({
      input: { owner: 'group:default/guests' },
    });
    await expect(action.handler(context)).rejects.toThrow(
      /AWS throttled cloudformation:DescribeStacks .* even after the SDK's retries/,
    );
  });

  it('backs off when a status poll is throttled and logs a heartbeat', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .rejectsOnce(
        awsError(
          'ValidationError',
          'Stack with id forecast-dependency does not exist',
        ),
      )
      .resolvesOnce(stack('CREATE_IN_PROGRESS'))
      .rejectsOnce(awsError('Throttling', 'Rate exceeded'))
      .resolvesOnce(stack('CREATE_IN_PROGRESS'))
      .resolvesOnce(stack('CREATE_IN_PROGRESS'))
      .resolvesOnce(stack('CREATE_IN_PROGRESS'))
      .resolvesOnce(stack('CREATE_IN_PROGRESS'))
      .resolvesOnce(stack('CREATE_IN_PROGRESS'))
      .resolves(stack('CREATE_COMPLETE'));
    cloudFormation.on(CreateStackCommand).resolves({ StackId: STACK_ID });
    cloudFormation
      .on(DescribeStackEventsCommand)
      .resolvesOnce({ StackEvents: [event('e1', 'CREATE_IN_PROGRESS')] })
      .resolves({
        StackEvents: [
          event('e2', 'CREATE_COMPLETE'),
          event('e1', 'CREATE_IN_PROGRESS'),
        ],
      });

    const { context, logger, outputs } = createTestContext({
      input: { owner: 'group:default/guests' },
    });
    const checkpointKeys: string[] = [];
    const runCheckpoint = context.checkpoint;
    context.checkpoint = async opts => {
      checkpointKeys.push(opts.key);
      return runCheckpoint(opts);
    };
    await action.handler(context);

    const log = logger.lines.join('\n');
    expect(outputs.status).toBe('CREATE_COMPLETE');
    expect(checkpointKeys).toEqual(['create-stack-forecast-dependency']);
    expect(log).toContain('warn: AWS throttled the stack status poll');
    expect(log).toMatch(
      /Still waiting for stack forecast-dependency: CREATE_IN_PROGRESS/,
    );
    // Each event is logged once although later pages repeat it.
    expect(
      log.match(/DataBucket \(AWS::S3::Bucket\) CREATE_IN_PROGRESS/g),
    ).toHaveLength(1);
    expect(
      log.match(/DataBucket \(AWS::S3::Bucket\) CREATE_COMPLETE/g),
    ).toHaveLength(1);
    const create =
      cloudFormation.commandCalls(CreateStackCommand)[0].args[0].input;
    expect(create.Capabilities).toEqual(['CAPABILITY_NAMED_IAM']);
    expect(create.ClientRequestToken).toMatch(/^backstage-task-1-/);
    expect(create.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'forecast-pipelines:role', Value: 'dependency' },
        {
          Key: 'forecast-pipelines:entity-ref',
          Value: 'resource:default/forecast-dependency',
        },
        { Key: 'forecast-pipelines:owner', Value: 'group:default/guests' },
        { Key: 'forecast-pipelines:created-by', Value: 'user:default/guest' },
        {
          Key: 'forecast-pipelines:template',
          Value: 'template:default/forecast-workload',
        },
      ]),
    );
  });

  it('reuses the checkpointed stack of a recovered task', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .rejectsOnce(
        awsError(
          'ValidationError',
          'Stack with id forecast-dependency does not exist',
        ),
      )
      .resolves(stack('CREATE_COMPLETE'));
    cloudFormation.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });

    const { context, outputs } = createTestContext({
      input: { owner: 'group:default/guests' },
    });
    // A recovered task gets the stored result instead of running fn again.
    context.checkpoint = async () => STACK_ID as any;
    await action.handler(context);

    expect(cloudFormation.commandCalls(CreateStackCommand)).toHaveLength(0);
    expect(outputs.stackId).toBe(STACK_ID);
    expect(outputs.status).toBe('CREATE_COMPLETE');
  });

  it.each([
    ['REVIEW_IN_PROGRESS', 'Delete the stack'],
    ['UPDATE_ROLLBACK_FAILED', 'continue-update-rollback'],
  ] as const)('rejects a stack in %s with the fix', async (status, fix) => {
    cloudFormation.on(DescribeStacksCommand).resolves(stack(status));

    const { context } = createTestContext({
      input: { owner: 'group:default/guests' },
    });
    await expect(action.handler(context)).rejects.toThrow(fix);
    expect(cloudFormation.commandCalls(CreateStackCommand)).toHaveLength(0);
  });

  it('makes no AWS call in a dry run', async () => {
    const { context, logger } = createTestContext({
      input: { owner: 'group:default/guests' },
      isDryRun: true,
    });
    await action.handler(context);
    expect(cloudFormation.calls()).toHaveLength(0);
    expect(logger.lines.join('\n')).toContain(
      'Template forecast-dependency parameters: BucketName=forecast-dependency-123456789012-us-east-1, UseExistingBucket=false',
    );
  });
});
