import type {
  AccuracyResponse,
  ExecutionDetailResponse,
  ExecutionSummary,
  ExecutionsResponse,
  ExportsResponse,
  ForecastSeriesResponse,
  PipelinesResponse,
  RerunRequest,
  RerunResponse,
  WorkloadResponse,
} from '@forecast-pipelines/plugin-forecast-common';
import type { ExecutionsQuery, ForecastApi, ForecastSeriesQuery } from '../api';
import {
  mockAccuracy,
  mockExecutionDetail,
  mockExecution,
  mockExecutions,
  mockExports,
  mockForecastSeries,
  mockPipelines,
  mockWorkload,
} from './mockData';

/**
 * In-memory {@link ForecastApi} for the dev page: a rerun starts an execution
 * that stays RUNNING for `runMilliseconds` and then succeeds.
 */
export class MockForecastApi implements ForecastApi {
  private readonly executions: ExecutionSummary[];
  private readonly runMilliseconds: number;
  private reruns = 0;

  constructor(options: { runMilliseconds?: number } = {}) {
    this.executions = mockExecutions();
    this.runMilliseconds = options.runMilliseconds ?? 15_000;
  }

  async getWorkload(): Promise<WorkloadResponse> {
    return mockWorkload;
  }

  async getPipelines(): Promise<PipelinesResponse> {
    const pipelines = mockPipelines().map(pipeline => ({
      ...pipeline,
      lastExecution:
        this.current().find(e => e.pipelineKey === pipeline.key) ??
        pipeline.lastExecution,
    }));
    return { pipelines };
  }

  async getExecutions(
    _entity: unknown,
    query: ExecutionsQuery = {},
  ): Promise<ExecutionsResponse> {
    const matching = this.current().filter(
      execution =>
        (!query.pipeline || execution.pipelineKey === query.pipeline) &&
        (!query.status || execution.status === query.status),
    );
    const pageSize = query.pageSize ?? 10;
    const offset = Number(query.pageToken ?? 0);
    const next = offset + pageSize;
    return {
      executions: matching.slice(offset, next),
      nextPageToken: next < matching.length ? String(next) : undefined,
    };
  }

  async getExecution(
    _entity: unknown,
    executionArn: string,
  ): Promise<ExecutionDetailResponse> {
    const execution = this.current().find(e => e.executionArn === executionArn);
    if (!execution || execution.status === 'FAILED') {
      return mockExecutionDetail;
    }
    return {
      execution,
      input: '{}',
      output: execution.status === 'SUCCEEDED' ? '{"status":"ok"}' : undefined,
      steps: [
        {
          name: 'Read settings',
          type: 'Task',
          status: 'SUCCEEDED',
          startDate: execution.startDate,
          endDate: execution.startDate,
        },
        {
          name: 'Run pipeline',
          type: 'Task',
          status: execution.status === 'RUNNING' ? 'RUNNING' : 'SUCCEEDED',
          startDate: execution.startDate,
          endDate: execution.stopDate,
        },
      ],
    };
  }

  async rerunPipeline(
    _entity: unknown,
    pipelineKey: string,
    _request: RerunRequest,
  ): Promise<RerunResponse> {
    this.reruns += 1;
    const execution = mockExecution(pipelineKey, `rerun-${this.reruns}`, {
      status: 'RUNNING',
      minutesAgo: 0,
      startedBy: 'rerun by user:default/guest',
    });
    this.executions.unshift(execution);
    return { execution };
  }

  async getExports(): Promise<ExportsResponse> {
    return mockExports;
  }

  async downloadExportFile(): Promise<Blob> {
    return new Blob(['item_id,date,p10,p50,p90\n'], { type: 'text/csv' });
  }

  async getForecast(
    _entity: unknown,
    query: ForecastSeriesQuery = {},
  ): Promise<ForecastSeriesResponse> {
    return mockForecastSeries(query.item);
  }

  async getAccuracy(): Promise<AccuracyResponse> {
    return mockAccuracy;
  }

  /** Returns the executions with finished reruns marked SUCCEEDED. */
  private current(): ExecutionSummary[] {
    const now = Date.now();
    for (const [index, execution] of this.executions.entries()) {
      const started = Date.parse(execution.startDate);
      if (
        execution.status === 'RUNNING' &&
        now - started >= this.runMilliseconds
      ) {
        this.executions[index] = {
          ...execution,
          status: 'SUCCEEDED',
          stopDate: new Date(started + this.runMilliseconds).toISOString(),
        };
      }
    }
    return this.executions;
  }
}
