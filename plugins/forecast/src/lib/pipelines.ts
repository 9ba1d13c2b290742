/**
 * Pipeline keys the backend derives from the workload stack's state machine
 * outputs, in the order the end-to-end workflow runs them.
 */
export const PIPELINE_FILTER_OPTIONS: { key: string; title: string }[] = [
  { key: 'workflow', title: 'End-to-end workflow' },
  { key: 'create-dataset-group', title: 'Create dataset group' },
  { key: 'import-data', title: 'Import data' },
  { key: 'train-predictor', title: 'Train predictor' },
  { key: 'select-predictor', title: 'Select predictor' },
  { key: 'create-forecast', title: 'Create forecast' },
];
