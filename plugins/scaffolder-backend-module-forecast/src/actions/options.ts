import { InputError } from '@backstage/errors';
import type { z as zod } from 'zod/v3';
import type { EventsService } from '@backstage/plugin-events-node';
import {
  ForecastTemplateName,
  readTemplateBody,
} from '@forecast-pipelines/cloudformation';
import type { AwsClientFactory } from '@forecast-pipelines/plugin-forecast-node';

/** Options every action of this module is built with. */
export interface ForecastActionOptions {
  /** Builds the AWS SDK clients; the only way the actions reach AWS. */
  clientFactory: AwsClientFactory;
  /**
   * Receives an event after each finished deployment, so the catalog
   * provider can refresh at once. Without it the catalog waits for its
   * schedule.
   */
  events?: EventsService;
  /** Time between two polls of a stack or execution. Defaults to 5 s. */
  pollIntervalMs?: number;
  /** Maximum time without a task log line while waiting. Defaults to 30 s. */
  heartbeatIntervalMs?: number;
  /** Reads a template body. Defaults to the files of `@forecast-pipelines/cloudformation`. */
  readTemplate?: (name: ForecastTemplateName) => string;
  /**
   * Produces the sample data set that `forecast:data:upload` uploads when
   * its source is `sample`. Without it that source is rejected.
   */
  sampleDataset?: (dataset: SampleDatasetType) => Promise<SampleDataset>;
}

/** The dataset types a workload imports. */
export type SampleDatasetType = 'target' | 'related' | 'item-metadata';

/** A generated CSV file. */
export interface SampleDataset {
  fileName: string;
  content: string | Buffer;
}

export const DEFAULT_POLL_INTERVAL_MS = 5_000;
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 30_000;

export function resolveOptions(options: ForecastActionOptions) {
  return {
    clientFactory: options.clientFactory,
    events: options.events,
    pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
    heartbeatIntervalMs:
      options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
    readTemplate: options.readTemplate ?? readTemplateBody,
    sampleDataset: options.sampleDataset,
  };
}

/**
 * Applies the input schema's defaults and transforms. The scaffolder only
 * validates action input against the JSON schema made from it, so defaults
 * declared there are not filled in before the handler runs.
 */
export function parseActionInput<T extends zod.ZodTypeAny>(
  schema: T,
  input: unknown,
): zod.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map(
      issue => `${issue.path.join('.') || 'input'}: ${issue.message}`,
    );
    throw new InputError(`Invalid action input: ${problems.join('; ')}`);
  }
  return result.data;
}
