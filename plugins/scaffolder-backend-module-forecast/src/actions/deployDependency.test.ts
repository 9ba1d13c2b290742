import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { FORECAST_TAGS } from '@forecast-pipelines/plugin-forecast-common';
import { createTestContext } from '../__testUtils__/context';
import { startTestSandbox, TestSandbox } from '../__testUtils__/testSandbox';
import { createDeployDependencyAction } from './deployDependency';

jest.setTimeout(60_000);

describe('forecast:dependency:deploy', () => {
  let env: TestSandbox;

  beforeAll(async () => {
    env = await startTestSandbox();
  });

  afterAll(async () => {
    await env?.close();
  });

  function action() {
    return createDeployDependencyAction({
      clientFactory: env.clientFactory,
      pollIntervalMs: 50,
      heartbeatIntervalMs: 1_000,
    });
  }

  it('creates the stack, then reports it up to date', async () => {
    const first = createTestContext({
      input: { owner: 'group:default/guests' },
    });
    await action().handler(first.context);

    expect(first.outputs.operation).toBe('create');
    expect(first.outputs.status).toBe('CREATE_COMPLETE');
    expect(first.outputs.stackId).toMatch(
      /^arn:aws:cloudformation:us-east-1:000000000000:stack\/forecast-dependency\//,
    );
    expect(first.outputs.bucketName).toBe(
      'forecast-dependency-000000000000-us-east-1',
    );
    expect(first.outputs.forecastRoleArn).toMatch(/^arn:aws:iam::/);
    expect(first.outputs.entityRef).toBe(
      'resource:default/forecast-dependency',
    );
    expect(first.logger.lines.join('\n')).toMatch(
      /DataBucket \(AWS::S3::Bucket\) CREATE_COMPLETE/,
    );

    const cloudFormation = await env.clientFactory.cloudFormation();
    const described = await cloudFormation.send(
      new DescribeStacksCommand({ StackName: 'forecast-dependency' }),
    );
    const tags = Object.fromEntries(
      (described.Stacks?.[0].Tags ?? []).map(t => [t.Key, t.Value]),
    );
    expect(tags[FORECAST_TAGS.role]).toBe('dependency');
    expect(tags[FORECAST_TAGS.owner]).toBe('group:default/guests');
    expect(tags[FORECAST_TAGS.createdBy]).toBe('user:default/guest');

    const second = createTestContext({
      input: { owner: 'group:default/guests' },
      taskId: 'task-2',
    });
    await action().handler(second.context);
    expect(second.outputs.operation).toBe('none');
    expect(second.outputs.stackId).toBe(first.outputs.stackId);
    expect(second.logger.lines.join('\n')).toContain('already up to date');
  });

  it('rejects an invalid bucket name before any AWS call', async () => {
    const { context } = createTestContext({
      input: {
        owner: 'group:default/guests',
        stackName: 'forecast-dependency-bad',
        bucketName: 'Not_A_Bucket',
      },
    });
    await expect(action().handler(context)).rejects.toThrow(
      'bucketName "Not_A_Bucket" is invalid',
    );
    const cloudFormation = await env.clientFactory.cloudFormation();
    await expect(
      cloudFormation.send(
        new DescribeStacksCommand({ StackName: 'forecast-dependency-bad' }),
      ),
    ).rejects.toThrow('does not exist');
  });

  it('explains ROLLBACK_COMPLETE and recreates on request', async () => {
    // The bucket of the first test exists, so creating it again fails.
    const input = {
      owner: 'group:default/guests',
      stackName: 'forecast-dependency-second',
      bucketName: 'forecast-dependency-000000000000-us-east-1',
    };
    const failed = createTestContext({ input });
    await expect(action().handler(failed.context)).rejects.toThrow(
      /Stack forecast-dependency-second failed to create: it ended in ROLLBACK_COMPLETE\. First failure: resource DataBucket \(AWS::S3::Bucket\) CREATE_FAILED: .*already exists/,
    );
    expect(failed.logger.lines.join('\n')).toMatch(
      /DataBucket \(AWS::S3::Bucket\) CREATE_FAILED/,
    );

    const blocked = createTestContext({ input, taskId: 'task-2' });
    await expect(action().handler(blocked.context)).rejects.toThrow(
      /is in ROLLBACK_COMPLETE.*recreateIfRolledBack: true/,
    );

    const recreated = createTestContext({
      input: {
        ...input,
        bucketName: 'forecast-dependency-second-bucket',
        recreateIfRolledBack: true,
      },
      taskId: 'task-3',
    });
    await action().handler(recreated.context);
    expect(recreated.outputs.operation).toBe('create');
    expect(recreated.outputs.status).toBe('CREATE_COMPLETE');
    expect(recreated.outputs.bucketName).toBe(
      'forecast-dependency-second-bucket',
    );
    expect(recreated.logger.lines.join('\n')).toContain(
      'Deleted the rolled-back stack forecast-dependency-second',
    );
  });
});
