/**
 * The sandbox Amazon Forecast service (awsJson1_1, `AmazonForecast.<Op>`).
 * Resources are kept per kind in JSON tables under `<dataDir>/forecast/`;
 * imported data, trained models and forecasts in binary files beside them.
 * Create calls return at once and run their job in the background:
 * CREATE_PENDING, then CREATE_IN_PROGRESS, then ACTIVE or CREATE_FAILED.
 */
import { AwsServiceError } from '../core/errors';
import type {
  JsonService,
  ObjectStore,
  RequestContext,
  SandboxLogger,
} from '../core/types';
import { ForecastState, KINDS, now, RUNNING } from './ForecastState';
import { BacktestExportOperations } from './operations/BacktestExportOperations';
import { DatasetGroupOperations } from './operations/DatasetGroupOperations';
import { DatasetOperations } from './operations/DatasetOperations';
import { ExplainabilityOperations } from './operations/ExplainabilityOperations';
import { ForecastExportOperations } from './operations/ForecastExportOperations';
import { ForecastOperations } from './operations/ForecastOperations';
import { ImportJobOperations } from './operations/ImportJobOperations';
import { PredictorOperations } from './operations/PredictorOperations';
import { ResourceOperations } from './operations/ResourceOperations';

/** Options of {@link createForecastService}. */
export interface ForecastServiceOptions {
  /** The sandbox data folder; Forecast keeps its state in `forecast/`. */
  dataDir: string;
  objects: ObjectStore;
  logger: SandboxLogger;
  /** Account of ARNs when a request carries none. Defaults to 000000000000. */
  accountId?: string;
  /** Region of ARNs when a request carries none. Defaults to us-east-1. */
  region?: string;
  /** Worker threads for parsing and training; defaults to cores − 1 (1-4). */
  workers?: number;
}

/** The Forecast service, plus a wait for background jobs (for tests). */
export interface ForecastService extends JsonService {
  /** Resolves when no create job is pending or running. */
  whenIdle(): Promise<void>;
}

type Handler = (
  input: Record<string, unknown>,
  context: RequestContext,
) => unknown;

/** Drops non-finite numbers, which JSON cannot carry, from a response. */
function finiteOnly(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(finiteOnly);
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => typeof v !== 'number' || Number.isFinite(v))
        .map(([k, v]) => [k, finiteOnly(v)]),
    );
  }
  return value;
}

class SandboxForecast implements ForecastService {
  private readonly state: ForecastState;
  private readonly operations: object[];

  constructor(options: ForecastServiceOptions) {
    this.state = new ForecastState(options);
    this.operations = [
      new DatasetGroupOperations(this.state),
      new DatasetOperations(this.state),
      new ImportJobOperations(this.state),
      new PredictorOperations(this.state),
      new BacktestExportOperations(this.state),
      new ForecastOperations(this.state),
      new ForecastExportOperations(this.state),
      new ExplainabilityOperations(this.state),
      new ResourceOperations(this.state),
    ];
  }

  async handle(
    operation: string,
    input: Record<string, unknown>,
    context: RequestContext,
  ): Promise<Record<string, unknown>> {
    const method = `op${operation}`;
    const owner = this.operations.find(
      operations =>
        typeof (operations as unknown as Record<string, unknown>)[method] ===
        'function',
    ) as unknown as Record<string, Handler> | undefined;
    if (!owner) {
      throw new AwsServiceError(
        'UnknownOperationException',
        `The Forecast sandbox does not implement ${operation}.`,
      );
    }
    const result = await owner[method].call(owner, input ?? {}, context);
    return finiteOnly(result ?? {}) as Record<string, unknown>;
  }

  async recover(): Promise<void> {
    for (const kind of KINDS) {
      for (const [arn, row] of this.state.tables[kind].entries()) {
        if (RUNNING.includes(row.Status)) {
          this.state.tables[kind].update(arn, record => ({
            ...record,
            Status: 'CREATE_FAILED',
            Message:
              'The Forecast sandbox restarted while this job was running. Delete it and create it again.',
            LastModificationTime: now(),
          }));
          this.state.logger.warn(`Marked ${arn} CREATE_FAILED after a restart`);
        }
        if (kind === 'datasets' && row.Status !== 'ACTIVE') {
          this.state.tables.datasets.update(arn, record => ({
            ...record,
            Status: 'ACTIVE',
          }));
        }
      }
    }
  }

  async close(): Promise<void> {
    // Jobs cut short by the shutdown keep their status, so that recover()
    // reports them after the next start.
    this.state.closing = true;
    await this.state.pool.close();
    await Promise.allSettled([...this.state.jobs]);
  }

  async whenIdle(): Promise<void> {
    while (this.state.jobs.size > 0) {
      await Promise.allSettled([...this.state.jobs]);
    }
  }
}

/**
 * Creates the sandbox Forecast service. Call `recover()` once after
 * creating it, and `close()` to stop its worker threads.
 */
export function createForecastService(
  options: ForecastServiceOptions,
): ForecastService {
  return new SandboxForecast(options);
}
