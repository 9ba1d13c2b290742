import {
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  GetTemplateSummaryCommand,
  ListExportsCommand,
  ListStackResourcesCommand,
  UpdateStackCommand,
  ValidateTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import {
  CreateTopicCommand,
  ListSubscriptionsByTopicCommand,
  ListTopicsCommand,
} from '@aws-sdk/client-sns';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import {
  fixture,
  outputsOf,
  startTestSandbox,
  type TestSandbox,
  waitForStack,
} from '../__testUtils__/testSandbox';

describe('CloudFormation', () => {
  let test: TestSandbox;

  beforeEach(async () => {
    test = await startTestSandbox();
  });

  afterEach(async () => {
    await test.stop();
  });

  const createStorage = async (
    name: string,
    parameters: Record<string, string>,
  ) => {
    const { cloudFormation } = test.clients;
    await cloudFormation.send(
      new CreateStackCommand({
        StackName: name,
        TemplateBody: fixture('storage.yaml'),
        Parameters: Object.entries(parameters).map(
          ([ParameterKey, ParameterValue]) => ({
            ParameterKey,
            ParameterValue,
          }),
        ),
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        Tags: [{ Key: 'owner', Value: 'team-a' }],
      }),
    );
    return waitForStack(cloudFormation, name);
  };

  it('creates, updates and deletes a stack', async () => {
    const { cloudFormation, s3, ssm, sns } = test.clients;

    const created = await createStorage('storage', { BucketName: 'demo-data' });
    expect(created.StackStatus).toBe('CREATE_COMPLETE');
    expect(created.Tags).toEqual([{ Key: 'owner', Value: 'team-a' }]);
    expect(created.Description).toContain('Test stack');
    const outputs = outputsOf(created);
    expect(outputs.BucketName).toBe('demo-data');
    expect(outputs.BucketArn).toBe('arn:aws:s3:::demo-data');
    expect(outputs.RoleArn).toBe(
      'arn:aws:iam::000000000000:role/storage-pipeline',
    );
    expect(outputs.TopicArn).toBe(
      'arn:aws:sns:us-east-1:000000000000:storage-events',
    );
    expect(outputs.Mode).toBe('development');
    expect(outputs.SubscriptionArn).toBeUndefined();
    await expect(
      s3.send(new HeadBucketCommand({ Bucket: 'demo-data' })),
    ).resolves.toBeDefined();

    const settings = await ssm.send(
      new GetParameterCommand({ Name: '/test/storage/settings' }),
    );
    expect(JSON.parse(settings.Parameter!.Value!)).toEqual({
      bucket: 'demo-data',
      role: 'arn:aws:iam::000000000000:role/storage-pipeline',
      region: 'us-east-1',
      mode: 'development',
    });

    const { StackResourceSummaries } = await cloudFormation.send(
      new ListStackResourcesCommand({ StackName: 'storage' }),
    );
    expect(
      StackResourceSummaries!.map(r => r.LogicalResourceId).sort(),
    ).toEqual(['DataBucket', 'Logs', 'PipelineRole', 'Settings', 'Topic']);
    expect(
      StackResourceSummaries!.every(
        r => r.ResourceStatus === 'CREATE_COMPLETE',
      ),
    ).toBe(true);
    const { StackResources } = await cloudFormation.send(
      new DescribeStackResourcesCommand({
        StackName: 'storage',
        LogicalResourceId: 'Logs',
      }),
    );
    expect(StackResources![0].PhysicalResourceId).toBe('/test/storage');

    const { StackEvents } = await cloudFormation.send(
      new DescribeStackEventsCommand({ StackName: 'storage' }),
    );
    const sequence = StackEvents!
      .slice()
      .reverse()
      .map(e => `${e.LogicalResourceId} ${e.ResourceStatus}`);
    expect(sequence[0]).toBe('storage CREATE_IN_PROGRESS');
    expect(sequence[sequence.length - 1]).toBe('storage CREATE_COMPLETE');
    // The role refers to the bucket, and the parameter to both.
    expect(sequence.indexOf('DataBucket CREATE_COMPLETE')).toBeLessThan(
      sequence.indexOf('PipelineRole CREATE_IN_PROGRESS'),
    );
    expect(sequence.indexOf('PipelineRole CREATE_COMPLETE')).toBeLessThan(
      sequence.indexOf('Settings CREATE_IN_PROGRESS'),
    );

    const { Exports } = await cloudFormation.send(new ListExportsCommand({}));
    expect(Exports!.map(e => [e.Name, e.Value])).toEqual([
      ['storage-BucketName', 'demo-data'],
      ['storage-RoleArn', 'arn:aws:iam::000000000000:role/storage-pipeline'],
    ]);
    const template = await cloudFormation.send(
      new GetTemplateCommand({ StackName: 'storage' }),
    );
    expect(template.TemplateBody).toBe(fixture('storage.yaml'));

    await cloudFormation.send(
      new UpdateStackCommand({
        StackName: 'storage',
        UsePreviousTemplate: true,
        Parameters: [
          { ParameterKey: 'BucketName', UsePreviousValue: true },
          { ParameterKey: 'Environment', ParameterValue: 'prod' },
          {
            ParameterKey: 'NotificationEmail',
            ParameterValue: 'ops@example.com',
          },
        ],
        Capabilities: ['CAPABILITY_NAMED_IAM'],
      }),
    );
    const updated = await waitForStack(cloudFormation, 'storage');
    expect(updated.StackStatus).toBe('UPDATE_COMPLETE');
    expect(outputsOf(updated).Mode).toBe('production');
    const updatedSettings = await ssm.send(
      new GetParameterCommand({ Name: '/test/storage/settings' }),
    );
    expect(JSON.parse(updatedSettings.Parameter!.Value!).mode).toBe(
      'production',
    );
    expect(updatedSettings.Parameter!.Version).toBe(2);
    const { Subscriptions } = await sns.send(
      new ListSubscriptionsByTopicCommand({ TopicArn: outputs.TopicArn }),
    );
    expect(Subscriptions!.map(s => s.Endpoint)).toEqual(['ops@example.com']);
    expect(outputsOf(updated).SubscriptionArn).toBe(
      Subscriptions![0].SubscriptionArn,
    );

    await expect(
      cloudFormation.send(
        new UpdateStackCommand({
          StackName: 'storage',
          TemplateBody: fixture('storage.yaml'),
          Parameters: [
            { ParameterKey: 'BucketName', ParameterValue: 'demo-data' },
            { ParameterKey: 'Environment', ParameterValue: 'prod' },
            {
              ParameterKey: 'NotificationEmail',
              ParameterValue: 'ops@example.com',
            },
          ],
          Capabilities: ['CAPABILITY_NAMED_IAM'],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'No updates are to be performed.',
    });

    await cloudFormation.send(new DeleteStackCommand({ StackName: 'storage' }));
    const deleted = await waitForStack(cloudFormation, created.StackId!);
    expect(deleted.StackStatus).toBe('DELETE_COMPLETE');
    await expect(
      s3.send(new HeadBucketCommand({ Bucket: 'demo-data' })),
    ).rejects.toMatchObject({ name: 'NotFound' });
    await expect(
      ssm.send(new GetParameterCommand({ Name: '/test/storage/settings' })),
    ).rejects.toMatchObject({ name: 'ParameterNotFound' });
    await expect(
      cloudFormation.send(new DescribeStacksCommand({ StackName: 'storage' })),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Stack with id storage does not exist',
    });
  });

  it('resolves imports and protects exports in use', async () => {
    const { cloudFormation } = test.clients;
    await createStorage('storage', { BucketName: 'shared-data' });

    await cloudFormation.send(
      new CreateStackCommand({
        StackName: 'consumer',
        TemplateBody: fixture('consumer.yaml'),
        Parameters: [
          { ParameterKey: 'StorageStackName', ParameterValue: 'storage' },
        ],
      }),
    );
    const consumer = await waitForStack(cloudFormation, 'consumer');
    expect(consumer.StackStatus).toBe('CREATE_COMPLETE');
    expect(outputsOf(consumer)).toEqual({
      Location: 's3://shared-data/input/',
      FirstPart: 'shared-data',
    });

    await cloudFormation.send(
      new UpdateStackCommand({
        StackName: 'storage',
        TemplateBody: fixture('storage.yaml').replace(
          "Name: !Sub '${AWS::StackName}-BucketName'",
          "Name: !Sub '${AWS::StackName}-RenamedBucketName'",
        ),
        Parameters: [{ ParameterKey: 'BucketName', UsePreviousValue: true }],
        Capabilities: ['CAPABILITY_NAMED_IAM'],
      }),
    );
    const refused = await waitForStack(cloudFormation, 'storage');
    expect(refused.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(refused.StackStatusReason).toContain(
      'Cannot delete export storage-BucketName as it is in use by consumer',
    );
    expect(outputsOf(refused).BucketName).toBe('shared-data');

    await expect(
      cloudFormation.send(new DeleteStackCommand({ StackName: 'storage' })),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining(
        'Export storage-BucketName cannot be deleted as it is in use by consumer',
      ),
    });

    await expect(
      cloudFormation.send(
        new CreateStackCommand({
          StackName: 'orphan',
          TemplateBody: fixture('consumer.yaml'),
          Parameters: [
            { ParameterKey: 'StorageStackName', ParameterValue: 'missing' },
          ],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining(
        'No export named missing-BucketName found',
      ),
    });
  });

  it('rolls back a failed create and refuses to update it', async () => {
    const { cloudFormation, s3 } = test.clients;
    await createStorage('first', { BucketName: 'taken-name' });

    await cloudFormation.send(
      new CreateStackCommand({
        StackName: 'second',
        TemplateBody: `
Resources:
  Parameter:
    Type: AWS::SSM::Parameter
    Properties: { Name: /second/value, Type: String, Value: x }
  Bucket:
    Type: AWS::S3::Bucket
    DependsOn: Parameter
    Properties: { BucketName: taken-name }
`,
      }),
    );
    const second = await waitForStack(cloudFormation, 'second');
    expect(second.StackStatus).toBe('ROLLBACK_COMPLETE');
    expect(second.StackStatusReason).toContain(
      'The following resource(s) failed to create: [Bucket]',
    );
    expect(second.StackStatusReason).toContain('taken-name already exists');

    const { StackEvents } = await cloudFormation.send(
      new DescribeStackEventsCommand({ StackName: 'second' }),
    );
    const statuses = StackEvents!
      .slice()
      .reverse()
      .map(e => `${e.LogicalResourceId} ${e.ResourceStatus}`);
    expect(statuses).toEqual([
      'second CREATE_IN_PROGRESS',
      'Parameter CREATE_IN_PROGRESS',
      'Parameter CREATE_COMPLETE',
      'Bucket CREATE_IN_PROGRESS',
      'Bucket CREATE_FAILED',
      'second ROLLBACK_IN_PROGRESS',
      'Bucket DELETE_COMPLETE',
      'Parameter DELETE_IN_PROGRESS',
      'Parameter DELETE_COMPLETE',
      'second ROLLBACK_COMPLETE',
    ]);
    await expect(
      s3.send(new HeadBucketCommand({ Bucket: 'taken-name' })),
    ).resolves.toBeDefined();

    await expect(
      cloudFormation.send(
        new UpdateStackCommand({
          StackName: 'second',
          UsePreviousTemplate: true,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringMatching(
        /is in ROLLBACK_COMPLETE state and can not be updated/,
      ),
    });
    await expect(
      cloudFormation.send(
        new CreateStackCommand({
          StackName: 'second',
          TemplateBody: fixture('consumer.yaml'),
        }),
      ),
    ).rejects.toMatchObject({
      name: 'AlreadyExistsException',
      message: expect.stringContaining('Stack [second] already exists'),
    });
  });

  it('rolls back a failed update to the previous state', async () => {
    const { cloudFormation, ssm } = test.clients;
    const body = (extraBucket: string) => `
Parameters:
  Value: { Type: String }
Resources:
  Parameter:
    Type: AWS::SSM::Parameter
    Properties: { Name: /rollback/value, Type: String, Value: !Ref Value }
${
  extraBucket
    ? `  Bucket:\n    Type: AWS::S3::Bucket\n    DependsOn: Parameter\n    Properties: { BucketName: ${extraBucket} }\n`
    : ''
}`;
    await cloudFormation.send(
      new CreateStackCommand({
        StackName: 'rollback',
        TemplateBody: body(''),
        Parameters: [{ ParameterKey: 'Value', ParameterValue: 'one' }],
      }),
    );
    expect((await waitForStack(cloudFormation, 'rollback')).StackStatus).toBe(
      'CREATE_COMPLETE',
    );

    await cloudFormation.send(
      new UpdateStackCommand({
        StackName: 'rollback',
        TemplateBody: body('Invalid_Bucket'),
        Parameters: [{ ParameterKey: 'Value', ParameterValue: 'two' }],
      }),
    );
    const rolledBack = await waitForStack(cloudFormation, 'rollback');
    expect(rolledBack.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(rolledBack.Parameters).toEqual([
      { ParameterKey: 'Value', ParameterValue: 'one' },
    ]);
    const parameter = await ssm.send(
      new GetParameterCommand({ Name: '/rollback/value' }),
    );
    expect(parameter.Parameter!.Value).toBe('one');
    const { StackResourceSummaries } = await cloudFormation.send(
      new ListStackResourcesCommand({ StackName: 'rollback' }),
    );
    expect(StackResourceSummaries!.map(r => r.LogicalResourceId)).toEqual([
      'Parameter',
    ]);
  });

  it('replaces a resource whose name changes', async () => {
    const { cloudFormation, ssm } = test.clients;
    const body = (name: string) =>
      `Resources:\n  P:\n    Type: AWS::SSM::Parameter\n    Properties: { Name: ${name}, Type: String, Value: v }\n`;
    await cloudFormation.send(
      new CreateStackCommand({
        StackName: 'rename',
        TemplateBody: body('/old/name'),
      }),
    );
    await waitForStack(cloudFormation, 'rename');

    await cloudFormation.send(
      new UpdateStackCommand({
        StackName: 'rename',
        TemplateBody: body('/new/name'),
      }),
    );
    expect((await waitForStack(cloudFormation, 'rename')).StackStatus).toBe(
      'UPDATE_COMPLETE',
    );
    await expect(
      ssm.send(new GetParameterCommand({ Name: '/new/name' })),
    ).resolves.toBeDefined();
    await expect(
      ssm.send(new GetParameterCommand({ Name: '/old/name' })),
    ).rejects.toMatchObject({
      name: 'ParameterNotFound',
    });
    const { StackEvents } = await cloudFormation.send(
      new DescribeStackEventsCommand({ StackName: 'rename' }),
    );
    const update = StackEvents!
      .slice()
      .reverse()
      .map(
        e =>
          `${e.LogicalResourceId} ${e.PhysicalResourceId} ${e.ResourceStatus}`,
      )
      .slice(-5);
    expect(update).toEqual([
      'P /new/name UPDATE_COMPLETE',
      expect.stringMatching(
        /^rename arn:\S+ UPDATE_COMPLETE_CLEANUP_IN_PROGRESS$/,
      ),
      'P /old/name DELETE_IN_PROGRESS',
      'P /old/name DELETE_COMPLETE',
      expect.stringMatching(/^rename arn:\S+ UPDATE_COMPLETE$/),
    ]);
    const { StackResourceSummaries } = await cloudFormation.send(
      new ListStackResourcesCommand({ StackName: 'rename' }),
    );
    expect(StackResourceSummaries!.map(r => r.PhysicalResourceId)).toEqual([
      '/new/name',
    ]);
  });

  it('replaces a resource whose type changes', async () => {
    const { cloudFormation, sns, ssm } = test.clients;
    await cloudFormation.send(
      new CreateStackCommand({
        StackName: 'retype',
        TemplateBody:
          'Resources:\n  R:\n    Type: AWS::SNS::Topic\n    Properties: { TopicName: retyped }\n',
      }),
    );
    await waitForStack(cloudFormation, 'retype');
    await cloudFormation.send(
      new UpdateStackCommand({
        StackName: 'retype',
        TemplateBody:
          'Resources:\n  R:\n    Type: AWS::SSM::Parameter\n    Properties: { Name: /retyped, Type: String, Value: v }\n',
      }),
    );
    expect((await waitForStack(cloudFormation, 'retype')).StackStatus).toBe(
      'UPDATE_COMPLETE',
    );
    await expect(
      ssm.send(new GetParameterCommand({ Name: '/retyped' })),
    ).resolves.toBeDefined();
    const { Topics } = await sns.send(new ListTopicsCommand({}));
    expect(Topics!.map(t => t.TopicArn)).not.toContain(
      'arn:aws:sns:us-east-1:000000000000:retyped',
    );
  });

  it('applies OnFailure to a failed create', async () => {
    const { cloudFormation, ssm } = test.clients;
    const body = `
Resources:
  Kept:
    Type: AWS::SSM::Parameter
    Properties: { Name: /onfailure/kept, Type: String, Value: v }
  Broken:
    Type: AWS::SSM::Parameter
    DependsOn: Kept
    Properties: { Name: /onfailure/broken, Type: SecureString, Value: v }
`;
    const keep = await cloudFormation.send(
      new CreateStackCommand({
        StackName: 'keep',
        TemplateBody: body,
        OnFailure: 'DO_NOTHING',
      }),
    );
    const kept = await waitForStack(cloudFormation, 'keep');
    expect(kept.StackStatus).toBe('CREATE_FAILED');
    expect(kept.StackStatusReason).toContain('[Broken]');
    expect(kept.StackStatusReason).toContain('must be String or StringList');
    await expect(
      ssm.send(new GetParameterCommand({ Name: '/onfailure/kept' })),
    ).resolves.toBeDefined();
    await cloudFormation.send(new DeleteStackCommand({ StackName: 'keep' }));
    expect(
      (await waitForStack(cloudFormation, keep.StackId!)).StackStatus,
    ).toBe('DELETE_COMPLETE');

    const drop = await cloudFormation.send(
      new CreateStackCommand({
        StackName: 'drop',
        TemplateBody: body,
        OnFailure: 'DELETE',
      }),
    );
    expect(
      (await waitForStack(cloudFormation, drop.StackId!)).StackStatus,
    ).toBe('DELETE_COMPLETE');
    await expect(
      ssm.send(new GetParameterCommand({ Name: '/onfailure/kept' })),
    ).rejects.toMatchObject({
      name: 'ParameterNotFound',
    });
  });

  it('reads templates from S3 URLs', async () => {
    const { cloudFormation, s3 } = test.clients;
    await s3.send(new CreateBucketCommand({ Bucket: 'templates' }));
    await s3.send(
      new PutObjectCommand({
        Bucket: 'templates',
        Key: 'a/topic.yaml',
        Body: 'Resources:\n  T:\n    Type: AWS::SNS::Topic\n',
      }),
    );
    await cloudFormation.send(
      new CreateStackCommand({
        StackName: 'from-url',
        TemplateURL: 'https://templates.s3.amazonaws.com/a/topic.yaml',
      }),
    );
    expect((await waitForStack(cloudFormation, 'from-url')).StackStatus).toBe(
      'CREATE_COMPLETE',
    );
    await expect(
      cloudFormation.send(
        new CreateStackCommand({
          StackName: 'no-url',
          TemplateURL: `${test.sandbox.endpoint}/templates/missing.yaml`,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining(
        's3://templates/missing.yaml was not found',
      ),
    });
  });

  it('publishes stack events to NotificationARNs', async () => {
    const { cloudFormation, sns } = test.clients;
    const { TopicArn } = await sns.send(
      new CreateTopicCommand({ Name: 'stack-events' }),
    );
    await cloudFormation.send(
      new CreateStackCommand({
        StackName: 'notified',
        TemplateBody: 'Resources:\n  T:\n    Type: AWS::SNS::Topic\n',
        NotificationARNs: [TopicArn!],
      }),
    );
    await waitForStack(cloudFormation, 'notified');
    const messages = test.sandbox.publishedMessages(TopicArn);
    expect(messages.map(m => m.subject)).toEqual(
      Array(messages.length).fill('AWS CloudFormation Notification'),
    );
    const statuses = messages.map(
      m => /ResourceStatus='([A-Z_]+)'/.exec(m.message)![1],
    );
    expect(statuses).toEqual([
      'CREATE_IN_PROGRESS',
      'CREATE_IN_PROGRESS',
      'CREATE_COMPLETE',
      'CREATE_COMPLETE',
    ]);
    expect(messages[0].message).toContain("StackName='notified'");
  });

  it('reports template parameters and capabilities', async () => {
    const { cloudFormation } = test.clients;
    const result = await cloudFormation.send(
      new ValidateTemplateCommand({ TemplateBody: fixture('storage.yaml') }),
    );
    expect(
      result.Parameters!.map(p => [p.ParameterKey, p.DefaultValue]),
    ).toEqual([
      ['BucketName', undefined],
      ['Environment', 'dev'],
      ['NotificationEmail', ''],
      ['Retention', '7'],
    ]);
    expect(result.Capabilities).toEqual(['CAPABILITY_NAMED_IAM']);

    const summary = await cloudFormation.send(
      new GetTemplateSummaryCommand({ TemplateBody: fixture('storage.yaml') }),
    );
    expect(
      summary.Parameters!.find(p => p.ParameterKey === 'Environment'),
    ).toMatchObject({
      ParameterType: 'String',
      ParameterConstraints: { AllowedValues: ['dev', 'prod'] },
    });
    expect(summary.ResourceTypes).toContain('AWS::IAM::Role');
  });
});
