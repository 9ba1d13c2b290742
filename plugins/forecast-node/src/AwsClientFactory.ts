import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ForecastClient } from '@aws-sdk/client-forecast';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Config } from '@backstage/config';
import {
  AwsCredentialsManager,
  DefaultAwsCredentialsManager,
} from '@backstage/integration-aws-node';
import { parseArn } from './arn';
import { ForecastAwsSettings, readForecastAwsSettings } from './config';

/**
 * Target of a client: an ARN to take account and region from, or an account
 * and region. Unset parts fall back to `forecast.aws.*`.
 */
export interface AwsTarget {
  arn?: string;
  accountId?: string;
  region?: string;
}

/** The shared options every client of this plugin is built with. */
export interface AwsClientOptions {
  region: string;
  endpoint?: string;
  credentials: Awaited<
    ReturnType<AwsCredentialsManager['getCredentialProvider']>
  >['sdkCredentialProvider'];
  retryMode: 'adaptive';
  maxAttempts: number;
  forcePathStyle?: boolean;
}

/**
 * Builds AWS SDK v3 clients for a target account and region. Credentials come
 * from `@backstage/integration-aws-node` (the `aws:` config block); the
 * endpoint comes from `forecast.aws.endpoint` or the sandbox port. Clients use
 * adaptive retries so throttling backs off instead of failing the request.
 */
export class AwsClientFactory {
  static fromConfig(
    config: Config,
    options?: { credentialsManager?: AwsCredentialsManager },
  ): AwsClientFactory {
    return new AwsClientFactory(
      readForecastAwsSettings(config),
      options?.credentialsManager ??
        DefaultAwsCredentialsManager.fromConfig(config),
    );
  }

  constructor(
    readonly settings: ForecastAwsSettings,
    private readonly credentialsManager: AwsCredentialsManager,
    private readonly maxAttempts: number = 3,
  ) {}

  /** Resolves the account and region of a target, filling in the defaults. */
  resolveTarget(target: AwsTarget = {}): { accountId: string; region: string } {
    if (target.arn) {
      const { accountId, region } = parseArn(target.arn);
      return { accountId, region: region || this.settings.region };
    }
    return {
      accountId: target.accountId || this.settings.accountId,
      region: target.region || this.settings.region,
    };
  }

  /** Builds the options shared by every client for this target. */
  async clientOptions(target: AwsTarget = {}): Promise<AwsClientOptions> {
    const { accountId, region } = this.resolveTarget(target);
    const provider = await this.credentialsManager.getCredentialProvider(
      accountId ? { accountId } : {},
    );
    return {
      region,
      endpoint: this.settings.endpoint,
      credentials: provider.sdkCredentialProvider,
      retryMode: 'adaptive',
      maxAttempts: this.maxAttempts,
    };
  }

  async cloudFormation(target?: AwsTarget): Promise<CloudFormationClient> {
    return new CloudFormationClient(await this.clientOptions(target));
  }

  async stepFunctions(target?: AwsTarget): Promise<SFNClient> {
    return new SFNClient(await this.clientOptions(target));
  }

  async forecast(target?: AwsTarget): Promise<ForecastClient> {
    return new ForecastClient(await this.clientOptions(target));
  }

  /** S3 uses path-style addressing when an endpoint is set, as local endpoints need. */
  async s3(target?: AwsTarget): Promise<S3Client> {
    const options = await this.clientOptions(target);
    return new S3Client({
      ...options,
      forcePathStyle: Boolean(options.endpoint),
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async ssm(target?: AwsTarget): Promise<SSMClient> {
    return new SSMClient(await this.clientOptions(target));
  }

  async sns(target?: AwsTarget): Promise<SNSClient> {
    return new SNSClient(await this.clientOptions(target));
  }

  async scheduler(target?: AwsTarget): Promise<SchedulerClient> {
    return new SchedulerClient(await this.clientOptions(target));
  }
}
