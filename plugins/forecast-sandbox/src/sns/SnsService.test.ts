import {
  CreateTopicCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTopicsCommand,
  PublishCommand,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import {
  startTestSandbox,
  type TestSandbox,
} from '../__testUtils__/testSandbox';

describe('SNS', () => {
  let test: TestSandbox;

  beforeEach(async () => {
    test = await startTestSandbox();
  });

  afterEach(async () => {
    await test.stop();
  });

  it('keeps published messages across a restart', async () => {
    const { sns } = test.clients;
    const { TopicArn } = await sns.send(
      new CreateTopicCommand({ Name: 'alerts' }),
    );
    expect(TopicArn).toBe('arn:aws:sns:us-east-1:000000000000:alerts');
    const again = await sns.send(new CreateTopicCommand({ Name: 'alerts' }));
    expect(again.TopicArn).toBe(TopicArn);

    await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'email',
        Endpoint: 'ops@example.com',
      }),
    );
    const { Subscriptions } = await sns.send(
      new ListSubscriptionsByTopicCommand({ TopicArn }),
    );
    expect(Subscriptions!.map(s => [s.Protocol, s.Endpoint])).toEqual([
      ['email', 'ops@example.com'],
    ]);
    const { Attributes } = await sns.send(
      new GetTopicAttributesCommand({ TopicArn }),
    );
    expect(Attributes!.TopicArn).toBe(TopicArn);
    expect(Attributes!.SubscriptionsConfirmed).toBe('1');

    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn,
        Subject: 'Run failed',
        Message: 'weekly-demand failed',
      }),
    );
    expect(MessageId).toMatch(/^[0-9a-f-]{36}$/);

    await test.restart();
    const messages = test.sandbox.publishedMessages(TopicArn);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      messageId: MessageId,
      subject: 'Run failed',
      message: 'weekly-demand failed',
      deliveredTo: ['email:ops@example.com'],
    });
    const { Topics } = await test.clients.sns.send(new ListTopicsCommand({}));
    expect(Topics!.map(t => t.TopicArn)).toEqual([TopicArn]);
  });

  it('raises NotFound and InvalidParameter', async () => {
    const { sns } = test.clients;
    await expect(
      sns.send(
        new PublishCommand({
          TopicArn: 'arn:aws:sns:us-east-1:000000000000:none',
          Message: 'x',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'NotFoundException',
      message: expect.stringContaining('Topic does not exist'),
    });
    await expect(
      sns.send(new CreateTopicCommand({ Name: 'bad name' })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('Topic Name "bad name"'),
    });
  });

  it('answers STS GetCallerIdentity with the sandbox account', async () => {
    const identity = await test.clients.sts.send(
      new GetCallerIdentityCommand({}),
    );
    expect(identity.Account).toBe('000000000000');
  });
});
