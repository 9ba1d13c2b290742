/**
 * The workload stack's pipelines: each is a Step Functions state machine
 * whose ARN the stack publishes as an output.
 */
export interface PipelineDefinition {
  /** Key used in the REST API, for example `import-data`. */
  key: string;
  /** Stack output holding the state machine ARN. */
  outputKey: string;
  title: string;
}

export const PIPELINE_DEFINITIONS: readonly PipelineDefinition[] = [
  {
    key: 'workflow',
    outputKey: 'WorkflowStateMachineArn',
    title: 'End-to-end workflow',
  },
  {
    key: 'create-dataset-group',
    outputKey: 'CreateDatasetGroupStateMachineArn',
    title: 'Create dataset group',
  },
  {
    key: 'import-data',
    outputKey: 'ImportDataStateMachineArn',
    title: 'Import data',
  },
  {
    key: 'train-predictor',
    outputKey: 'TrainPredictorStateMachineArn',
    title: 'Train predictor',
  },
  {
    key: 'select-predictor',
    outputKey: 'SelectPredictorStateMachineArn',
    title: 'Select predictor',
  },
  {
    key: 'create-forecast',
    outputKey: 'CreateForecastStateMachineArn',
    title: 'Create forecast',
  },
];
