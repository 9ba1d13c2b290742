import { ConfigReader } from '@backstage/config';
import { AwsClientFactory } from './AwsClientFactory';

describe('AwsClientFactory', () => {
  const sandboxConfig = new ConfigReader({
    forecast: { sandbox: { enabled: true, port: 4999 } },
    aws: {
      accounts: [
        {
          accountId: '000000000000',
          accessKeyId: 'sandbox',
          secretAccessKey: 'sandbox',
        },
      ],
    },
  });

  it('points clients at the sandbox port when it is enabled', async () => {
    const factory = AwsClientFactory.fromConfig(sandboxConfig);
    const options = await factory.clientOptions();
    expect(options.endpoint).toBe('http://127.0.0.1:4999');
    expect(options.region).toBe('us-east-1');
    await expect(options.credentials()).resolves.toMatchObject({
      accessKeyId: 'sandbox',
    });
  });

  it('takes account and region from an ARN', () => {
    const factory = AwsClientFactory.fromConfig(sandboxConfig);
    expect(
      factory.resolveTarget({
        arn: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/a/b',
      }),
    ).toEqual({ accountId: '123456789012', region: 'eu-west-1' });
  });

  it('uses no endpoint override without sandbox or endpoint', async () => {
    const factory = AwsClientFactory.fromConfig(
      new ConfigReader({ forecast: { aws: { region: 'eu-central-1' } } }),
    );
    expect(factory.settings.endpoint).toBeUndefined();
    expect(factory.resolveTarget()).toEqual({
      accountId: '',
      region: 'eu-central-1',
    });
  });
});
