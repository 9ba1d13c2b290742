import { ConfigReader } from '@backstage/config';
import { startSandbox, Sandbox } from '@forecast-pipelines/forecast-sandbox';
import { AwsClientFactory } from '@forecast-pipelines/plugin-forecast-node';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A sandbox on a free port with its own temporary data folder. */
export interface TestSandbox {
  sandbox: Sandbox;
  /** Config pointing the plugins at the sandbox. */
  configData: Record<string, unknown>;
  clientFactory: AwsClientFactory;
  close(): Promise<void>;
}

export const SANDBOX_ACCOUNT = '000000000000';
export const SANDBOX_REGION = 'us-east-1';

export async function startTestSandbox(): Promise<TestSandbox> {
  const dataDir = await fs.mkdtemp(
    path.join(os.tmpdir(), 'forecast-scaffolder-test-'),
  );
  const sandbox = await startSandbox({ port: 0, dataDir });
  const configData = {
    forecast: {
      aws: {
        accountId: SANDBOX_ACCOUNT,
        region: SANDBOX_REGION,
        endpoint: sandbox.endpoint,
      },
    },
    aws: {
      accounts: [
        {
          accountId: SANDBOX_ACCOUNT,
          accessKeyId: 'sandbox',
          secretAccessKey: 'sandbox',
        },
      ],
    },
  };
  const clientFactory = AwsClientFactory.fromConfig(
    new ConfigReader(configData),
  );
  return {
    sandbox,
    configData,
    clientFactory,
    close: async () => {
      await sandbox.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
