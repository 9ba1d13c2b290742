import { createDeployDependencyAction } from './deployDependency';
import { createDeployWorkloadAction } from './deployWorkload';
import { ForecastActionOptions } from './options';
import { createStartPipelineAction } from './startPipeline';
import { createUploadDataAction } from './uploadData';

export { createDeployDependencyAction } from './deployDependency';
export { createDeployWorkloadAction } from './deployWorkload';
export { createStartPipelineAction } from './startPipeline';
export { createUploadDataAction } from './uploadData';
export type {
  ForecastActionOptions,
  SampleDataset,
  SampleDatasetType,
} from './options';

/** Creates all actions of this module with the same options. */
export function createForecastActions(options: ForecastActionOptions) {
  return [
    createDeployDependencyAction(options),
    createDeployWorkloadAction(options),
    createUploadDataAction(options),
    createStartPipelineAction(options),
  ];
}
