import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { ForecastClient } from '@aws-sdk/client-forecast';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { LoggerService } from '@backstage/backend-plugin-api';
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

interface LoggableClient {
  middlewareStack: {
    add(
      middleware: (
        next: (args: unknown) => Promise<{ output: unknown }>,
        context: { commandName?: string; clientName?: string },
      ) => (args: unknown) => Promise<{ output: unknown }>,
      options: { step: 'initialize'; name: string },
    ): void;
  };
}

interface CallMetadata {
  $metadata?: { attempts?: number; requestId?: string };
}

/**
 * Reuses one AWS SDK client per service, account and region, built by the
 * shared {@link AwsClientFactory}, so connections and the adaptive retry
 * rate limiter are shared between requests. Every call is logged at debug
 * level, retried calls at info and failed calls at warn, with the request id.
 */
export class AwsClients {
  private readonly clients = new Map<string, Promise<unknown>>();

  constructor(
    private readonly factory: AwsClientFactory,
    private readonly logger: LoggerService,
  ) {}

  /** Returns the client of `kind` for the account and region of `arn`. */
  get<K extends ClientKind>(kind: K, arn: string): Promise<ClientTypes[K]> {
    const { accountId, region } = this.factory.resolveTarget({ arn });
    const key = `${kind}:${accountId}:${region}`;

    let client = this.clients.get(key);
    if (!client) {
      client = this.factory[kind]({ arn }).then(created => {
        this.addLogging(created as unknown as LoggableClient, key);
        return created;
      });
      this.clients.set(key, client);
      client.catch(() => this.clients.delete(key));
    }
    return client as Promise<ClientTypes[K]>;
  }

  private addLogging(client: LoggableClient, key: string) {
    client.middlewareStack.add(
      (next, context) => async args => {
        const operation = `${context.commandName ?? 'command'} (${key})`;
        this.logger.debug(`AWS ${operation}`);
        try {
          const result = await next(args);
          const metadata = (result.output as CallMetadata).$metadata;
          if ((metadata?.attempts ?? 1) > 1) {
            this.logger.info(
              `AWS ${operation} succeeded after ${metadata?.attempts} attempts, request ${metadata?.requestId}`,
            );
          }
          return result;
        } catch (error) {
          const failure = error as Error & CallMetadata;
          this.logger.warn(
            `AWS ${operation} failed after ${
              failure.$metadata?.attempts ?? 1
            } attempts with ${failure.name}: ${failure.message}, request ${
              failure.$metadata?.requestId
            }`,
          );
          throw error;
        }
      },
      { step: 'initialize', name: 'forecastBackendLogging' },
    );
  }
}
