export { trainSeries, forecastTypes, sortedQuantile } from './autoModel';
export type {
  OptimizationMetric,
  SeriesTrainingInput,
  SeriesTrainingResult,
  ForecastWithErrors,
} from './autoModel';
export { generateDemoDataset } from './demoData';
export type { DemoDatasetOptions } from './demoData';
export * from './metrics';
export { WorkerPool } from './WorkerPool';
