import { createApiRef } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  AccuracyResponse,
  ExecutionDetailResponse,
  ExecutionStatus,
  ExecutionsResponse,
  ExportsResponse,
  ForecastSeriesResponse,
  PipelinesResponse,
  RerunRequest,
  RerunResponse,
  WorkloadResponse,
} from '@forecast-pipelines/plugin-forecast-common';

/** Filters and paging of the executions list. */
export interface ExecutionsQuery {
  /** Pipeline key, for example `workflow`; all pipelines when absent. */
  pipeline?: string;
  status?: ExecutionStatus;
  /** Token from the previous page's `nextPageToken`. */
  pageToken?: string;
  pageSize?: number;
}

/** The item and dimension values to chart. */
export interface ForecastSeriesQuery {
  /** Item id; the backend picks the first item of the export when absent. */
  item?: string;
  dimensions?: Record<string, string>;
}

/**
 * Client of the forecast backend's entity routes. Every method takes the
 * workload's catalog entity, and the backend resolves its stack from the
 * `amazon-forecast/stack-arn` annotation.
 */
export interface ForecastApi {
  getWorkload(entity: CompoundEntityRef): Promise<WorkloadResponse>;
  getPipelines(entity: CompoundEntityRef): Promise<PipelinesResponse>;
  getExecutions(
    entity: CompoundEntityRef,
    query?: ExecutionsQuery,
  ): Promise<ExecutionsResponse>;
  getExecution(
    entity: CompoundEntityRef,
    executionArn: string,
  ): Promise<ExecutionDetailResponse>;
  rerunPipeline(
    entity: CompoundEntityRef,
    pipelineKey: string,
    request: RerunRequest,
  ): Promise<RerunResponse>;
  getExports(entity: CompoundEntityRef): Promise<ExportsResponse>;
  /** Downloads one export file with the user's Backstage token. */
  downloadExportFile(entity: CompoundEntityRef, key: string): Promise<Blob>;
  getForecast(
    entity: CompoundEntityRef,
    query?: ForecastSeriesQuery,
  ): Promise<ForecastSeriesResponse>;
  getAccuracy(entity: CompoundEntityRef): Promise<AccuracyResponse>;
}

/** API reference of {@link ForecastApi}. */
export const forecastApiRef = createApiRef<ForecastApi>({
  id: 'plugin.forecast.api',
});
