import { ACCOUNT, REGION } from './mockBackend';

const STATE_MACHINE_OUTPUTS = {
  'create-dataset-group': 'CreateDatasetGroupStateMachineArn',
  'import-data': 'ImportDataStateMachineArn',
  'train-predictor': 'TrainPredictorStateMachineArn',
  'select-predictor': 'SelectPredictorStateMachineArn',
  'create-forecast': 'CreateForecastStateMachineArn',
  workflow: 'WorkflowStateMachineArn',
};

export function stackArnOf(stackName: string): string {
  return `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${stackName}/0a1b2c3d-0000-4000-8000-${stackName.length
    .toString()
    .padStart(12, '0')}`;
}

export function stateMachineArnOf(stackName: string, key: string): string {
  return `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${stackName}-${key}`;
}

/**
 * Builds a DescribeStacks response for a workload stack named `forecast-<workload>`,
 * with the outputs and tags the workload template and scaffolder produce.
 */
export function describeStacksOutput(
  workload: string,
  status = 'CREATE_COMPLETE',
) {
  const stackName = `forecast-${workload}`;
  const bucket = 'forecast-data-000000000000';
  const outputs: Record<string, string> = {
    BucketName: bucket,
    InputDataPath: `s3://${bucket}/${stackName}/input/`,
    ForecastExportPath: `s3://${bucket}/${stackName}/forecast-exports/`,
    BacktestExportPath: `s3://${bucket}/${stackName}/backtest-exports/`,
    DatasetGroupName: workload.replace(/-/g, '_'),
  };
  for (const [key, outputKey] of Object.entries(STATE_MACHINE_OUTPUTS)) {
    outputs[outputKey] = stateMachineArnOf(stackName, key);
  }
  return {
    Stacks: [
      {
        StackId: stackArnOf(stackName),
        StackName: stackName,
        StackStatus: status as any,
        CreationTime: new Date('2026-01-05T10:00:00Z'),
        Parameters: [
          { ParameterKey: 'Domain', ParameterValue: 'RETAIL' },
          { ParameterKey: 'ForecastHorizon', ParameterValue: '8' },
          {
            ParameterKey: 'NotificationEmail',
            ParameterValue: 'team@example.com',
          },
        ],
        Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({
          OutputKey,
          OutputValue,
        })),
        Tags: [
          { Key: 'forecast-pipelines:role', Value: 'workload' },
          {
            Key: 'forecast-pipelines:entity-ref',
            Value: `component:default/${workload}`,
          },
        ],
      },
    ],
  };
}
