/**
 * Types of the forecast backend's REST API, shared with the frontend.
 * Every route is scoped to a catalog entity:
 * `/api/forecast/entity/:namespace/:kind/:name/...`.
 * Dates are ISO 8601 strings.
 */

/** Execution statuses, as Step Functions reports them. */
export type ExecutionStatus =
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'TIMED_OUT'
  | 'ABORTED'
  | 'PENDING_REDRIVE';

/** Set on any response served from cache because AWS throttled the request. */
export interface StaleMarker {
  /** True when the response is a cached copy served because AWS throttled. */
  stale?: boolean;
}

/** `GET .../workload` */
export interface WorkloadResponse extends StaleMarker {
  stackName: string;
  stackArn: string;
  stackStatus: string;
  stackStatusReason?: string;
  region: string;
  accountId: string;
  lastUpdated?: string;
  /** The workload stack parameters an analyst cares about, by parameter key. */
  parameters: Record<string, string>;
  /** Stack outputs by output key. */
  outputs: Record<string, string>;
  /** Schedule expression when the workload runs on a schedule. */
  schedule?: { expression: string; state: string; nextRun?: string };
  /** The newest successful run of the end-to-end workflow. */
  lastSuccessfulForecast?: { executionArn: string; stopDate: string };
  /** Links to the AWS console for the stack and its resources. */
  links: { title: string; url: string }[];
}

/** One step of the workload: a Step Functions state machine. */
export interface PipelineSummary {
  /** Stable key from the stack output, for example `workflow` or `import-data`. */
  key: string;
  title: string;
  stateMachineArn: string;
  name: string;
  lastExecution?: ExecutionSummary;
}

/** `GET .../pipelines` */
export interface PipelinesResponse extends StaleMarker {
  pipelines: PipelineSummary[];
}

export interface ExecutionSummary {
  executionArn: string;
  stateMachineArn: string;
  pipelineKey: string;
  name: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
  /** How the run started: `schedule`, `rerun by user:default/jane`, `parent`, `manual`. */
  startedBy?: string;
}

/** `GET .../executions?pipeline=&status=&pageToken=&pageSize=` */
export interface ExecutionsResponse extends StaleMarker {
  executions: ExecutionSummary[];
  /** Pass back as `pageToken` for the next, older page. */
  nextPageToken?: string;
}

export interface ExecutionStep {
  name: string;
  type: string;
  status: 'SUCCEEDED' | 'FAILED' | 'RUNNING' | 'CAUGHT';
  startDate: string;
  endDate?: string;
  error?: string;
  cause?: string;
}

/** `GET .../executions/:executionArn` (the ARN URL-encoded) */
export interface ExecutionDetailResponse {
  execution: ExecutionSummary;
  input?: string;
  output?: string;
  steps: ExecutionStep[];
  /** The step that failed the run, with the service's error and cause. */
  failure?: { step?: string; error?: string; cause?: string };
}

/** `POST .../pipelines/:key/rerun` body */
export interface RerunRequest {
  /** JSON input; the last execution's input is used when absent. */
  input?: string;
  /** Start even though an execution of this pipeline is RUNNING. */
  force?: boolean;
}

/** `POST .../pipelines/:key/rerun` response */
export interface RerunResponse {
  execution: ExecutionSummary;
}

export interface ExportFile {
  key: string;
  name: string;
  size: number;
  lastModified: string;
}

export interface ForecastExport {
  exportJobArn: string;
  name: string;
  status: string;
  message?: string;
  destination: string;
  creationTime: string;
  lastModificationTime?: string;
  files: ExportFile[];
}

/** `GET .../exports`; a file downloads from `GET .../exports/file?key=` */
export interface ExportsResponse extends StaleMarker {
  exports: ForecastExport[];
}

export interface SeriesPoint {
  date: string;
  value: number;
}

/** `GET .../forecast?item=&dimensions=` (dimensions as `name=value,...`) */
export interface ForecastSeriesResponse {
  item: string;
  dimensions: Record<string, string>;
  /** Items found in the newest export, for the picker. */
  items: string[];
  exportJobArn?: string;
  /** Forecast types in the export, for example `p10`, `p50`, `p90`, `mean`. */
  forecastTypes: string[];
  /** One point per date; keys are the forecast types. */
  forecast: ({ date: string } & Record<string, number | string>)[];
  /** Recent actuals from the imported data, before the forecast starts. */
  actuals: SeriesPoint[];
}

export interface WeightedQuantileLoss {
  quantile: number;
  lossValue: number;
}

export interface ErrorMetric {
  forecastType: string;
  wape?: number;
  rmse?: number;
  mase?: number;
  mape?: number;
}

export interface AccuracyMetrics {
  rmse?: number;
  averageWeightedQuantileLoss?: number;
  weightedQuantileLosses: WeightedQuantileLoss[];
  errorMetrics: ErrorMetric[];
}

export interface AccuracyWindow {
  evaluationType: 'SUMMARY' | 'COMPUTED';
  testWindowStart?: string;
  testWindowEnd?: string;
  itemCount?: number;
  metrics: AccuracyMetrics;
}

/** `GET .../accuracy` */
export interface AccuracyResponse extends StaleMarker {
  predictorArn?: string;
  predictorName?: string;
  optimizationMetric?: string;
  windows: AccuracyWindow[];
}
