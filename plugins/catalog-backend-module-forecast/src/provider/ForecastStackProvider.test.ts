import {
  CloudFormationClient,
  CloudFormationServiceException,
  DescribeStacksCommand,
  Stack,
} from '@aws-sdk/client-cloudformation';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AwsClientFactory } from '@forecast-pipelines/plugin-forecast-node';
import { mockClient } from 'aws-sdk-client-mock';
import { ForecastStackProvider } from './ForecastStackProvider';

function workload(name: string): Stack {
  return {
    StackId: `arn:aws:cloudformation:us-east-1:123456789012:stack/forecast-${name}/1`,
    StackName: `forecast-${name}`,
    StackStatus: 'CREATE_COMPLETE',
    CreationTime: new Date(),
    Tags: [
      { Key: 'forecast-pipelines:role', Value: 'workload' },
      {
        Key: 'forecast-pipelines:entity-ref',
        Value: `component:default/${name}`,
      },
    ],
  };
}

describe('ForecastStackProvider', () => {
  const cloudFormation = mockClient(CloudFormationClient);
  const clientFactory = AwsClientFactory.fromConfig(
    new ConfigReader({
      aws: {
        accounts: [
          { accountId: '123456789012', accessKeyId: 'a', secretAccessKey: 'b' },
        ],
      },
    }),
  );

  function createProvider() {
    const logger = mockServices.logger.mock();
    logger.child.mockReturnValue(logger);
    const provider = new ForecastStackProvider({
      target: { accountId: '123456789012', region: 'us-east-1' },
      clientFactory,
      logger,
      defaultOwner: 'unknown',
    });
    const connection = { applyMutation: jest.fn(), refresh: jest.fn() };
    return { provider, connection, logger };
  }

  beforeEach(() => cloudFormation.reset());
  afterAll(() => cloudFormation.restore());

  it('reads every page of stacks and skips duplicates', async () => {
    cloudFormation
      .on(DescribeStacksCommand, { NextToken: undefined })
      .resolves({ Stacks: [workload('a'), workload('b')], NextToken: 'page-2' })
      .on(DescribeStacksCommand, { NextToken: 'page-2' })
      .resolves({
        Stacks: [
          workload('c'),
          { ...workload('a'), StackName: 'forecast-a-copy' },
        ],
      });
    const { provider, connection, logger } = createProvider();
    await provider.connect(connection);
    await provider.refresh();

    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
    const mutation = connection.applyMutation.mock.calls[0][0];
    expect(mutation.type).toBe('full');
    expect(mutation.entities.map((e: any) => e.entity.metadata.name)).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'stack forecast-a already provides component:default/a',
      ),
    );
  });

  it('keeps the previous entities when AWS denies the listing', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(
      new CloudFormationServiceException({
        name: 'AccessDenied',
        message: 'not authorized to perform: cloudformation:DescribeStacks',
        $fault: 'client',
        $metadata: {},
      }),
    );
    const { provider, connection, logger } = createProvider();
    await provider.connect(connection);

    await expect(provider.refresh()).rejects.toThrow('not authorized');
    expect(connection.applyMutation).not.toHaveBeenCalled();
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining(
        'Listing the stacks of account 123456789012 in us-east-1 failed',
      ),
      expect.anything(),
    );
  });

  it('refreshes again after a failed refresh', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .rejectsOnce(new Error('socket hang up'))
      .resolves({ Stacks: [workload('a')] });
    const { provider, connection } = createProvider();
    await provider.connect(connection);

    await expect(provider.refresh()).rejects.toThrow('socket hang up');
    await provider.refresh();
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
  });
});
