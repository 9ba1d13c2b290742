import { InputError } from '@backstage/errors';
import { generateDemoDataset } from '@forecast-pipelines/plugin-forecast-node';
import type { SampleDataset, SampleDatasetType } from '../actions/options';

/** File name of the generated sample target time series. */
export const SAMPLE_FILE_NAME = 'sample-hourly-demand.csv';

/**
 * Generates the demo data set: hourly demand of 36 items over 120 days, as
 * `timestamp,target_value,item_id` rows with `yyyy-MM-dd HH:mm:ss`
 * timestamps, which the workload form's defaults match. Only a target time
 * series exists.
 */
export async function generateSampleDataset(
  dataset: SampleDatasetType,
): Promise<SampleDataset> {
  if (dataset !== 'target') {
    throw new InputError(
      `There is no sample data for the ${dataset} dataset, only for the target time series; upload a file for ${dataset}`,
    );
  }
  return { fileName: SAMPLE_FILE_NAME, content: generateDemoDataset() };
}
