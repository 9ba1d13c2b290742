import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { CloudFormationService } from './cloudformation/CloudFormationService';
import { createResourceProviders } from './cloudformation/providers';
import { DiskObjectStore } from './core/DiskObjectStore';
import { AwsServiceError } from './core/errors';
import type { JsonService, ObjectStore, SandboxLogger } from './core/types';
import { LocalTaskDispatcher } from './dispatch/LocalTaskDispatcher';
import { IamStore } from './iam/IamStore';
import { createForecastService } from './forecast';
import { SandboxRouter } from './router';
import { SchedulerService } from './scheduler/SchedulerService';
import { type PublishedMessage, SnsService } from './sns/SnsService';
import { SsmService } from './ssm/SsmService';
import { StepFunctionsService } from './stepfunctions';

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** Port on 127.0.0.1; 0 picks a free one. Defaults to 4566. */
  port?: number;
  /** Folder that keeps all state. Defaults to `.sandbox-data`. */
  dataDir?: string;
  /** Divides Step Functions Wait state durations. Defaults to 1000. */
  waitCompression?: number;
  /**
   * Divides the time between schedule firings, so tests can watch a
   * `rate(1 minute)` schedule fire. Defaults to 1 (real time).
   */
  scheduleCompression?: number;
  /** Account every request acts in. Defaults to `000000000000`. */
  accountId?: string;
  logger?: SandboxLogger;
}

/** The services of a running sandbox, for tests and embedding code. */
export interface SandboxServices {
  objects: ObjectStore;
  cloudFormation: CloudFormationService;
  ssm: SsmService;
  sns: SnsService;
  scheduler: SchedulerService;
  stepFunctions: StepFunctionsService;
  forecast: JsonService;
}

/** A running sandbox. */
export interface Sandbox {
  /** `http://127.0.0.1:<port>`, for the AWS SDK clients' `endpoint`. */
  endpoint: string;
  port: number;
  dataDir: string;
  services: SandboxServices;
  /** Messages published to SNS topics, oldest first. */
  publishedMessages(topicArn?: string): PublishedMessage[];
  close(): Promise<void>;
}

const silentLogger: SandboxLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};

/**
 * Starts the sandbox HTTP server on 127.0.0.1: every service on one port,
 * routed by the service name in each request's SigV4 credential scope.
 * Work left in progress by an earlier run is marked failed first.
 */
export async function startSandbox(
  options: SandboxOptions = {},
): Promise<Sandbox> {
  const dataDir = path.resolve(options.dataDir ?? '.sandbox-data');
  const logger = options.logger ?? silentLogger;
  const accountId = options.accountId ?? '000000000000';

  const objects = new DiskObjectStore(path.join(dataDir, 's3'));
  const ssm = new SsmService(dataDir, logger.child({ service: 'ssm' }));
  const sns = new SnsService(dataDir, logger.child({ service: 'sns' }));
  const forecast = createForecastService({
    dataDir,
    objects,
    accountId,
    logger: logger.child({ service: 'forecast' }),
  });
  // Step Functions runs states:startExecution Tasks itself; every other
  // Task state goes to the dispatcher.
  const dispatcher = new LocalTaskDispatcher({
    ssm,
    sns,
    objects,
    forecast,
    logger: logger.child({ service: 'tasks' }),
  });
  const stepFunctions = new StepFunctionsService({
    dataDir,
    dispatcher,
    logger: logger.child({ service: 'stepfunctions' }),
    waitCompression: options.waitCompression ?? 1000,
  });

  const scheduler = new SchedulerService(
    dataDir,
    async (target, context) => {
      if (!target.Arn.startsWith('arn:aws:states:')) {
        throw new Error(
          `The sandbox's Scheduler only starts Step Functions state machines, not ${target.Arn}`,
        );
      }
      await stepFunctions.handle(
        'StartExecution',
        { stateMachineArn: target.Arn, input: target.Input ?? '{}' },
        context,
      );
    },
    logger.child({ service: 'scheduler' }),
    options.scheduleCompression ?? 1,
  );
  const cloudFormation = new CloudFormationService({
    dataDir,
    providers: createResourceProviders({
      dataDir,
      objects,
      ssm,
      sns,
      scheduler,
      iam: new IamStore(dataDir),
      stepFunctions,
    }),
    objects,
    readSsmParameter: (name, context) => {
      try {
        return ssm.getValue(name, context);
      } catch {
        throw new AwsServiceError(
          'ValidationError',
          `Unable to fetch parameters [${name}] from parameter store for this account. Create the SSM parameter first.`,
        );
      }
    },
    notify: (topicArn, subject, message) => {
      sns.publish(topicArn, message, subject);
    },
    logger: logger.child({ service: 'cloudformation' }),
  });

  cloudFormation.recover();
  await stepFunctions.recover();
  await forecast.recover?.();
  scheduler.start();

  const services: SandboxServices = {
    objects,
    cloudFormation,
    ssm,
    sns,
    scheduler,
    stepFunctions,
    forecast,
  };
  const router = new SandboxRouter(services, accountId, logger);
  const server = http.createServer((request, response) => {
    router.route(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4566, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  logger.info(
    `Forecast sandbox listening on http://127.0.0.1:${port}, data in ${dataDir}`,
  );

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    services,
    publishedMessages: topicArn => sns.listMessages(topicArn),
    async close() {
      scheduler.close();
      await new Promise<void>((resolve, reject) => {
        server.close(error => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      await cloudFormation.close();
      await stepFunctions.close();
      await forecast.close?.();
      logger.info('Forecast sandbox stopped');
    },
  };
}
