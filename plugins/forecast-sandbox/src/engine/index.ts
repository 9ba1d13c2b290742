export { trainSeries, forecastTypes, sortedQuantile } from './autoModel';
export type {
  OptimizationMetric,
  SeriesTrainingInput,
  SeriesTrainingResult,
  ForecastWithErrors,
} from './autoModel';
export { generateDemoDataset } from '@forecast-pipelines/plugin-forecast-node';
export type { DemoDatasetOptions } from '@forecast-pipelines/plugin-forecast-node';
export * from './metrics';
export { WorkerPool } from './WorkerPool';
