import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import {
  CreateAutoPredictorCommand,
  CreateDatasetCommand,
  CreateDatasetGroupCommand,
  CreateDatasetImportJobCommand,
  CreateForecastCommand,
  CreateForecastExportJobCommand,
  DescribeAutoPredictorCommand,
  DescribeDatasetImportJobCommand,
  DescribeForecastCommand,
  DescribeForecastExportJobCommand,
  ForecastClient,
} from '@aws-sdk/client-forecast';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
// The tests start the sandbox as a library, not as a plugin.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import { startSandbox, Sandbox } from '@forecast-pipelines/forecast-sandbox';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ACCOUNT, REGION } from './mockBackend';

export const BUCKET = 'forecast-test-data-000000000000';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/forecast-test`;

export const TARGET_SCHEMA = {
  Attributes: [
    { AttributeName: 'item_id', AttributeType: 'string' },
    { AttributeName: 'store', AttributeType: 'string' },
    { AttributeName: 'timestamp', AttributeType: 'timestamp' },
    { AttributeName: 'demand', AttributeType: 'float' },
  ],
};

const PASS = { StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } };

/** Fails with a Forecast-style error when the input has `fail`. */
const IMPORT = {
  StartAt: 'CheckInput',
  States: {
    CheckInput: {
      Type: 'Choice',
      Choices: [{ Variable: '$.fail', IsPresent: true, Next: 'ImportFailed' }],
      Default: 'Imported',
    },
    ImportFailed: {
      Type: 'Fail',
      Error: 'Forecast.InvalidInputException',
      Cause: 'Row 3 of target.csv: invalid timestamp',
    },
    Imported: { Type: 'Pass', End: true },
  },
};

/** Waits `$.wait` seconds (divided by the sandbox's wait compression). */
const TRAIN = {
  StartAt: 'Train',
  States: {
    Train: { Type: 'Wait', SecondsPath: '$.wait', Next: 'Trained' },
    Trained: { Type: 'Pass', End: true },
  },
};

const MACHINES: Record<string, { output: string; definition: object }> = {
  workflow: { output: 'WorkflowStateMachineArn', definition: PASS },
  'create-dataset-group': {
    output: 'CreateDatasetGroupStateMachineArn',
    definition: PASS,
  },
  'import-data': { output: 'ImportDataStateMachineArn', definition: IMPORT },
  'train-predictor': {
    output: 'TrainPredictorStateMachineArn',
    definition: TRAIN,
  },
  'select-predictor': {
    output: 'SelectPredictorStateMachineArn',
    definition: PASS,
  },
  'create-forecast': {
    output: 'CreateForecastStateMachineArn',
    definition: PASS,
  },
};

/**
 * Builds a small stand-in for the workload template: the six state machines, the
 * outputs and parameters the backend reads, and (for one stack) the bucket.
 */
export function workloadTemplate(withBucket: boolean): string {
  const resources: Record<string, unknown> = {
    PipelineRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'states.amazonaws.com' },
              Action: 'sts:AssumeRole',
            },
          ],
        },
      },
    },
  };
  const outputs: Record<string, unknown> = {
    BucketName: { Value: BUCKET },
    InputDataPath: {
      Value: { 'Fn::Sub': `s3://${BUCKET}/\${AWS::StackName}/input/` },
    },
    ForecastExportPath: {
      Value: {
        'Fn::Sub': `s3://${BUCKET}/\${AWS::StackName}/forecast-exports/`,
      },
    },
    BacktestExportPath: {
      Value: {
        'Fn::Sub': `s3://${BUCKET}/\${AWS::StackName}/backtest-exports/`,
      },
    },
    DatasetGroupName: { Value: { Ref: 'DatasetGroupName' } },
  };
  if (withBucket) {
    resources.Bucket = {
      Type: 'AWS::S3::Bucket',
      Properties: { BucketName: BUCKET },
    };
  }
  Object.entries(MACHINES).forEach(([key, machine], index) => {
    const logicalId = `Machine${index}`;
    resources[logicalId] = {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        StateMachineName: { 'Fn::Sub': `\${AWS::StackName}-${key}` },
        RoleArn: { 'Fn::GetAtt': ['PipelineRole', 'Arn'] },
        DefinitionString: JSON.stringify(machine.definition),
      },
    };
    outputs[machine.output] = { Value: { Ref: logicalId } };
  });

  return JSON.stringify({
    AWSTemplateFormatVersion: '2010-09-09',
    Parameters: {
      DatasetGroupName: { Type: 'String' },
      Domain: { Type: 'String', Default: 'RETAIL' },
      TargetTimeSeriesSchema: {
        Type: 'String',
        Default: JSON.stringify(TARGET_SCHEMA),
      },
      TimestampFormat: { Type: 'String', Default: 'yyyy-MM-dd' },
      ForecastDimensions: { Type: 'String', Default: 'store' },
      ForecastHorizon: { Type: 'String', Default: '14' },
      NotificationEmail: { Type: 'String', Default: 'team@example.com' },
    },
    Resources: resources,
    Outputs: outputs,
  });
}

/** Daily demand of three item and store series over 120 days, with weekly seasonality. */
export function targetCsv(): string {
  const series = [
    ['item_a', 'store_1', 40],
    ['item_a', 'store_2', 25],
    ['item_b', 'store_1', 60],
  ] as const;
  const lines: string[] = [];
  for (const [item, store, level] of series) {
    for (let day = 0; day < 120; day++) {
      const date = new Date(Date.UTC(2026, 0, 1 + day))
        .toISOString()
        .slice(0, 10);
      const value = level + 10 * Math.sin((2 * Math.PI * day) / 7) + (day % 5);
      lines.push(`${item},${store},${date},${value.toFixed(2)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

async function until<T>(
  description: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 120_000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) {
      return value;
    }
    if (Date.now() - started > timeoutMs) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${description}: ${JSON.stringify(
          value,
        )}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

/** A sandbox with SDK clients pointed at it. */
export interface SandboxClients {
  sandbox: Sandbox;
  cloudFormation: CloudFormationClient;
  stepFunctions: SFNClient;
  forecast: ForecastClient;
  s3: S3Client;
  close(): Promise<void>;
}

/** Starts a sandbox on a free port with a temporary data folder. */
export async function startTestSandbox(): Promise<SandboxClients> {
  const dataDir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'forecast-backend-test-'),
  );
  const sandbox = await startSandbox({
    port: 0,
    dataDir,
    waitCompression: 1000,
  });
  const options = {
    endpoint: sandbox.endpoint,
    region: REGION,
    credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
    maxAttempts: 1,
  };
  return {
    sandbox,
    cloudFormation: new CloudFormationClient(options),
    stepFunctions: new SFNClient(options),
    forecast: new ForecastClient(options),
    s3: new S3Client({ ...options, forcePathStyle: true }),
    close: async () => {
      await sandbox.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Deploys a stand-in workload stack tagged for `entityRef` and returns its outputs. */
export async function deployWorkload(
  clients: SandboxClients,
  stackName: string,
  entityRef: string,
  withBucket: boolean,
) {
  const { StackId } = await clients.cloudFormation.send(
    new CreateStackCommand({
      StackName: stackName,
      TemplateBody: workloadTemplate(withBucket),
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      Parameters: [
        {
          ParameterKey: 'DatasetGroupName',
          ParameterValue: stackName
            .slice('forecast-'.length)
            .replace(/-/g, '_'),
        },
      ],
      Tags: [
        { Key: 'forecast-pipelines:role', Value: 'workload' },
        { Key: 'forecast-pipelines:entity-ref', Value: entityRef },
      ],
    }),
  );
  const stack = await until(
    `stack ${stackName}`,
    async () =>
      (
        await clients.cloudFormation.send(
          new DescribeStacksCommand({ StackName: StackId }),
        )
      ).Stacks![0],
    s => !s.StackStatus!.endsWith('IN_PROGRESS'),
  );
  if (stack.StackStatus !== 'CREATE_COMPLETE') {
    throw new Error(
      `Stack ${stackName} ended ${stack.StackStatus}: ${stack.StackStatusReason}`,
    );
  }
  const outputs = Object.fromEntries(
    (stack.Outputs ?? []).map(o => [o.OutputKey!, o.OutputValue!]),
  );
  return { stackArn: StackId!, outputs };
}

/** Deletes a stack and waits until it is gone. */
export async function deleteStack(clients: SandboxClients, stackArn: string) {
  await clients.cloudFormation.send(
    new DeleteStackCommand({ StackName: stackArn }),
  );
  await until(
    `deletion of ${stackArn}`,
    async () => {
      try {
        return (
          await clients.cloudFormation.send(
            new DescribeStacksCommand({ StackName: stackArn }),
          )
        ).Stacks?.[0]?.StackStatus;
      } catch {
        return 'DELETE_COMPLETE';
      }
    },
    status => status === 'DELETE_COMPLETE',
  );
}

/** Starts an execution and waits until it leaves RUNNING. */
export async function runExecution(
  clients: SandboxClients,
  stateMachineArn: string,
  input: object,
  name?: string,
) {
  const { executionArn } = await clients.stepFunctions.send(
    new StartExecutionCommand({
      stateMachineArn,
      input: JSON.stringify(input),
      name,
    }),
  );
  return until(
    `execution ${executionArn}`,
    () =>
      clients.stepFunctions.send(
        new DescribeExecutionCommand({ executionArn }),
      ),
    e => e.status !== 'RUNNING',
  );
}

/**
 * Imports the target data of `stackName`, trains a predictor, creates a
 * forecast and exports it twice: under the stack's own export path, and under
 * `foreignExportPath` (another stack's), which the backend must not list.
 */
export async function trainAndExport(
  clients: SandboxClients,
  stackName: string,
  foreignExportPath: string,
) {
  const { forecast } = clients;
  const name = stackName.slice('forecast-'.length).replace(/-/g, '_');
  await clients.s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: `${stackName}/input/target/demand.csv`,
      Body: targetCsv(),
    }),
  );

  const { DatasetArn } = await forecast.send(
    new CreateDatasetCommand({
      DatasetName: `${name}_target`,
      Domain: 'RETAIL',
      DatasetType: 'TARGET_TIME_SERIES',
      DataFrequency: 'D',
      Schema: TARGET_SCHEMA as any,
    }),
  );
  const { DatasetGroupArn } = await forecast.send(
    new CreateDatasetGroupCommand({
      DatasetGroupName: name,
      Domain: 'RETAIL',
      DatasetArns: [DatasetArn!],
    }),
  );
  const { DatasetImportJobArn } = await forecast.send(
    new CreateDatasetImportJobCommand({
      DatasetImportJobName: 'import_1',
      DatasetArn,
      DataSource: {
        S3Config: {
          Path: `s3://${BUCKET}/${stackName}/input/target/`,
          RoleArn: ROLE,
        },
      },
      TimestampFormat: 'yyyy-MM-dd',
    }),
  );
  const imported = await until(
    'import job',
    () =>
      forecast.send(
        new DescribeDatasetImportJobCommand({ DatasetImportJobArn }),
      ),
    j => !j.Status!.includes('PENDING') && !j.Status!.includes('IN_PROGRESS'),
  );
  if (imported.Status !== 'ACTIVE') {
    throw new Error(`Import ended ${imported.Status}: ${imported.Message}`);
  }

  const { PredictorArn } = await forecast.send(
    new CreateAutoPredictorCommand({
      PredictorName: `${name}_predictor`,
      ForecastHorizon: 14,
      ForecastFrequency: 'D',
      ForecastDimensions: ['store'],
      ForecastTypes: ['0.1', '0.5', '0.9'],
      DataConfig: { DatasetGroupArn },
    }),
  );
  const predictor = await until(
    'predictor',
    () => forecast.send(new DescribeAutoPredictorCommand({ PredictorArn })),
    p => p.Status === 'ACTIVE' || p.Status === 'CREATE_FAILED',
  );
  if (predictor.Status !== 'ACTIVE') {
    throw new Error(
      `Predictor ended ${predictor.Status}: ${predictor.Message}`,
    );
  }

  const { ForecastArn } = await forecast.send(
    new CreateForecastCommand({
      ForecastName: `${name}_forecast`,
      PredictorArn,
    }),
  );
  await until(
    'forecast',
    () => forecast.send(new DescribeForecastCommand({ ForecastArn })),
    f => f.Status === 'ACTIVE' || f.Status === 'CREATE_FAILED',
  );

  const exportJobArns: string[] = [];
  for (const [jobName, destination] of [
    ['export_own', `s3://${BUCKET}/${stackName}/forecast-exports/run1/`],
    ['export_foreign', foreignExportPath],
  ]) {
    const { ForecastExportJobArn } = await forecast.send(
      new CreateForecastExportJobCommand({
        ForecastExportJobName: jobName,
        ForecastArn,
        Destination: { S3Config: { Path: destination, RoleArn: ROLE } },
      }),
    );
    await until(
      `export ${jobName}`,
      () =>
        forecast.send(
          new DescribeForecastExportJobCommand({ ForecastExportJobArn }),
        ),
      j => j.Status === 'ACTIVE' || j.Status === 'CREATE_FAILED',
    );
    exportJobArns.push(ForecastExportJobArn!);
  }

  return {
    DatasetGroupArn: DatasetGroupArn!,
    PredictorArn: PredictorArn!,
    ForecastArn: ForecastArn!,
    exportJobArns,
  };
}
