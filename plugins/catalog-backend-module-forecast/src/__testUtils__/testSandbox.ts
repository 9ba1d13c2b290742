import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { ConfigReader } from '@backstage/config';
import { readTemplateBody } from '@forecast-pipelines/cloudformation';
import { startSandbox, Sandbox } from '@forecast-pipelines/forecast-sandbox';
import { AwsClientFactory } from '@forecast-pipelines/plugin-forecast-node';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const SANDBOX_ACCOUNT = '000000000000';
export const SANDBOX_REGION = 'us-east-1';

/**
 * A stand-in for the workload template with one cheap resource: the provider
 * only reads a stack's tags, status and parameters.
 */
const SMALL_WORKLOAD_TEMPLATE = `
Parameters:
  DependencyStackName:
    Type: String
Resources:
  NotificationTopic:
    Type: AWS::SNS::Topic
`;

export interface TestSandbox {
  sandbox: Sandbox;
  configData: Record<string, any>;
  cloudFormation: CloudFormationClient;
  createDependencyStack(stackName: string): Promise<string>;
  createWorkloadStack(
    stackName: string,
    tags: Record<string, string>,
  ): Promise<string>;
  deleteStack(stackName: string): Promise<void>;
  close(): Promise<void>;
}

async function waitForStack(
  client: CloudFormationClient,
  stackName: string,
): Promise<string> {
  for (;;) {
    const stack = (
      await client.send(new DescribeStacksCommand({ StackName: stackName }))
    ).Stacks![0];
    if (!stack.StackStatus!.endsWith('_IN_PROGRESS')) {
      return stack.StackStatus!;
    }
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

export async function startTestSandbox(): Promise<TestSandbox> {
  const dataDir = await fs.mkdtemp(
    path.join(os.tmpdir(), 'forecast-catalog-test-'),
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
  const cloudFormation = await AwsClientFactory.fromConfig(
    new ConfigReader(configData),
  ).cloudFormation();

  const create = async (
    stackName: string,
    templateBody: string,
    parameters: Record<string, string>,
    tags: Record<string, string>,
  ) => {
    const { StackId } = await cloudFormation.send(
      new CreateStackCommand({
        StackName: stackName,
        TemplateBody: templateBody,
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        Parameters: Object.entries(parameters).map(([k, v]) => ({
          ParameterKey: k,
          ParameterValue: v,
        })),
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    const status = await waitForStack(cloudFormation, stackName);
    if (status !== 'CREATE_COMPLETE') {
      throw new Error(`Test stack ${stackName} ended in ${status}`);
    }
    return StackId!;
  };

  return {
    sandbox,
    configData,
    cloudFormation,
    createDependencyStack: stackName =>
      create(
        stackName,
        readTemplateBody('forecast-dependency'),
        { BucketName: `${stackName}-bucket` },
        {
          'forecast-pipelines:role': 'dependency',
          'forecast-pipelines:owner': 'group:default/guests',
        },
      ),
    createWorkloadStack: (stackName, tags) =>
      create(
        stackName,
        SMALL_WORKLOAD_TEMPLATE,
        { DependencyStackName: 'forecast-dependency' },
        tags,
      ),
    deleteStack: async stackName => {
      await cloudFormation.send(
        new DeleteStackCommand({ StackName: stackName }),
      );
      await waitForStack(cloudFormation, stackName).catch(() => undefined);
    },
    close: async () => {
      await sandbox.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
