import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  AccuracyResponse,
  ExecutionDetailResponse,
  ExecutionsResponse,
  ExportsResponse,
  ForecastSeriesResponse,
  PipelinesResponse,
  RerunRequest,
  RerunResponse,
  WorkloadResponse,
} from '@forecast-pipelines/plugin-forecast-common';
import type {
  ExecutionsQuery,
  ForecastApi,
  ForecastSeriesQuery,
} from './ForecastApi';

/**
 * {@link ForecastApi} over HTTP. Requests go through `fetchApi`, so they carry
 * the signed-in user's Backstage token.
 */
export class ForecastClient implements ForecastApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getWorkload(entity: CompoundEntityRef): Promise<WorkloadResponse> {
    return this.getJson(entity, '/workload');
  }

  getPipelines(entity: CompoundEntityRef): Promise<PipelinesResponse> {
    return this.getJson(entity, '/pipelines');
  }

  getExecutions(
    entity: CompoundEntityRef,
    query: ExecutionsQuery = {},
  ): Promise<ExecutionsResponse> {
    const params = new URLSearchParams();
    if (query.pipeline) {
      params.set('pipeline', query.pipeline);
    }
    if (query.status) {
      params.set('status', query.status);
    }
    if (query.pageToken) {
      params.set('pageToken', query.pageToken);
    }
    if (query.pageSize) {
      params.set('pageSize', String(query.pageSize));
    }
    return this.getJson(entity, '/executions', params);
  }

  getExecution(
    entity: CompoundEntityRef,
    executionArn: string,
  ): Promise<ExecutionDetailResponse> {
    return this.getJson(
      entity,
      `/executions/${encodeURIComponent(executionArn)}`,
    );
  }

  async rerunPipeline(
    entity: CompoundEntityRef,
    pipelineKey: string,
    request: RerunRequest,
  ): Promise<RerunResponse> {
    const url = await this.entityUrl(
      entity,
      `/pipelines/${encodeURIComponent(pipelineKey)}/rerun`,
    );
    const response = await this.fetchApi.fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.json();
  }

  getExports(entity: CompoundEntityRef): Promise<ExportsResponse> {
    return this.getJson(entity, '/exports');
  }

  async downloadExportFile(
    entity: CompoundEntityRef,
    key: string,
  ): Promise<Blob> {
    const url = await this.entityUrl(
      entity,
      '/exports/file',
      new URLSearchParams({ key }),
    );
    const response = await this.fetchApi.fetch(url);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.blob();
  }

  getForecast(
    entity: CompoundEntityRef,
    query: ForecastSeriesQuery = {},
  ): Promise<ForecastSeriesResponse> {
    const params = new URLSearchParams();
    if (query.item) {
      params.set('item', query.item);
    }
    const dimensions = Object.entries(query.dimensions ?? {});
    if (dimensions.length > 0) {
      params.set(
        'dimensions',
        dimensions.map(([name, value]) => `${name}=${value}`).join(','),
      );
    }
    return this.getJson(entity, '/forecast', params);
  }

  getAccuracy(entity: CompoundEntityRef): Promise<AccuracyResponse> {
    return this.getJson(entity, '/accuracy');
  }

  private async getJson<T>(
    entity: CompoundEntityRef,
    path: string,
    params?: URLSearchParams,
  ): Promise<T> {
    const url = await this.entityUrl(entity, path, params);
    const response = await this.fetchApi.fetch(url);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.json();
  }

  private async entityUrl(
    entity: CompoundEntityRef,
    path: string,
    params?: URLSearchParams,
  ): Promise<string> {
    const baseUrl = await this.discoveryApi.getBaseUrl('forecast');
    const entityPath = [
      entity.namespace,
      entity.kind.toLocaleLowerCase('en-US'),
      entity.name,
    ]
      .map(part => encodeURIComponent(part))
      .join('/');
    const query = params && params.toString() ? `?${params}` : '';
    return `${baseUrl}/entity/${entityPath}${path}${query}`;
  }
}
