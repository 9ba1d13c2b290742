import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { ForecastClient } from '@aws-sdk/client-forecast';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { AwsClientFactory } from '@forecast-pipelines/plugin-forecast-node';

type ClientKind =
  | 'cloudFormation'
  | 'stepFunctions'
  | 'forecast'
  | 's3'
  | 'scheduler';

interface ClientTypes {
  cloudFormation: CloudFormationClient;
  stepFunctions: SFNClient;
  forecast: ForecastClient;
  s3: S3Client;
  scheduler: SchedulerClient;
}

/**
 * Reuses one AWS SDK client per service, account and region, built by the
 * shared {@link AwsClientFactory}, so connections and the adaptive retry
 * rate limiter are shared between requests.
 */
export class AwsClients {
  private readonly clients = new Map<string, Promise<unknown>>();

  constructor(private readonly factory: AwsClientFactory) {}

  /** Returns the client of `kind` for the account and region of `arn`. */
  get<K extends ClientKind>(kind: K, arn: string): Promise<ClientTypes[K]> {
    const { accountId, region } = this.factory.resolveTarget({ arn });
    const key = `${kind}:${accountId}:${region}`;

    let client = this.clients.get(key);
    if (!client) {
      client = this.factory[kind]({ arn });
      this.clients.set(key, client);
      client.catch(() => this.clients.delete(key));
    }
    return client as Promise<ClientTypes[K]>;
  }
}
