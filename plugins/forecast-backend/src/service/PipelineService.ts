import {
  DescribeExecutionCommand,
  ExecutionListItem,
  ExecutionStatus as SfnExecutionStatus,
  GetExecutionHistoryCommand,
  HistoryEvent,
  ListExecutionsCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import type {
  ExecutionDetailResponse,
  ExecutionStatus,
  ExecutionSummary,
  ExecutionsResponse,
  PipelinesResponse,
} from '@forecast-pipelines/plugin-forecast-common';
import { randomBytes } from 'node:crypto';
import { AwsClients } from './AwsClients';
import { callAws } from './awsErrors';
import {
  decodeCursor,
  encodeCursor,
  ExecutionCursor,
  SourcePosition,
} from './executionCursor';
import { stepsFromHistory } from './executionHistory';
import { ResponseCache } from './ResponseCache';
import {
  findPipeline,
  pipelineOfStateMachine,
  ScopedPipeline,
  WorkloadScope,
} from './WorkloadResolver';

export const EXECUTION_STATUSES: ExecutionStatus[] = [
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
  'PENDING_REDRIVE',
];

const TERMINAL_STATUSES = new Set([
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
]);

/** History events read for one execution; longer histories are cut. */
const MAX_HISTORY_EVENTS = 5000;

const RERUN_NAME = /^rerun-(.+)-\d{8}T\d{6}Z-[0-9a-f]{6}$/;

function compareStrings(a: string, b: string): number {
  if (a < b) {
    return -1;
  }
  return a > b ? 1 : 0;
}

/** One page of a state machine's executions, as cached. */
interface ExecutionPage {
  executions: ExecutionSummary[];
  nextToken: string | null;
}

/** Query of `GET .../executions`. */
export interface ExecutionsQuery {
  pipeline?: string;
  status?: string;
  pageToken?: string;
  pageSize: number;
}

function toSummary(
  item: ExecutionListItem,
  pipelineKey: string,
): ExecutionSummary {
  const name = item.name ?? '';
  const rerun = RERUN_NAME.exec(name);
  return {
    executionArn: item.executionArn ?? '',
    stateMachineArn: item.stateMachineArn ?? '',
    pipelineKey,
    name,
    status: (item.status ?? 'RUNNING') as ExecutionStatus,
    startDate: item.startDate?.toISOString() ?? '',
    stopDate: item.stopDate?.toISOString(),
    startedBy: rerun ? `rerun by ${rerun[1]}` : undefined,
  };
}

/** Returns the user part of a rerun execution name: the entity name, in allowed characters. */
function rerunUserName(userEntityRef: string): string {
  return (userEntityRef.split('/').pop() || 'user')
    .replace(/[^A-Za-z0-9_-]/g, '_')
    .slice(0, 40);
}

/** Builds a Step Functions execution name: unique, at most 80 characters. */
export function rerunExecutionName(
  userEntityRef: string,
  now = new Date(),
): string {
  const user = rerunUserName(userEntityRef);
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `rerun-${user}-${stamp}-${randomBytes(3).toString('hex')}`;
}

/**
 * Reads and starts the workload's Step Functions executions. Listing goes
 * page by page through AWS page tokens and the cache, so a page view costs
 * at most one ListExecutions call per state machine, and none while cached.
 */
export class PipelineService {
  constructor(
    private readonly clients: AwsClients,
    private readonly cache: ResponseCache,
    private readonly logger: LoggerService,
  ) {}

  /** Each pipeline of the workload with its newest execution. */
  async pipelines(
    scope: WorkloadScope,
    pageSize: number,
  ): Promise<PipelinesResponse> {
    let stale = scope.stale;
    const pipelines = await Promise.all(
      scope.pipelines.map(async pipeline => {
        const page = await this.page(scope, pipeline, null, pageSize, '');
        stale ||= page.stale;
        return {
          key: pipeline.key,
          title: pipeline.title,
          stateMachineArn: pipeline.stateMachineArn,
          name: pipeline.stateMachineArn.split(':').pop() ?? pipeline.key,
          lastExecution: page.value.executions[0],
        };
      }),
    );
    return stale ? { pipelines, stale } : { pipelines };
  }

  /**
   * One page of executions, newest first, of one pipeline or merged over all
   * of them. The first page shares its cache entries with
   * {@link PipelineService.pipelines}.
   */
  async executions(
    scope: WorkloadScope,
    query: ExecutionsQuery,
  ): Promise<ExecutionsResponse> {
    const status = query.status ?? '';
    if (status && !EXECUTION_STATUSES.includes(status as ExecutionStatus)) {
      throw new InputError(
        `Invalid status "${status}": expected one of ${EXECUTION_STATUSES.join(
          ', ',
        )}`,
      );
    }
    const sources = query.pipeline
      ? [findPipeline(scope, query.pipeline)]
      : scope.pipelines;
    const keys = sources.map(s => s.key);

    const cursor: ExecutionCursor = query.pageToken
      ? decodeCursor(query.pageToken, {
          pageSize: query.pageSize,
          status,
          keys,
        })
      : {
          pageSize: query.pageSize,
          status,
          positions: Object.fromEntries(
            keys.map(key => [key, { token: null, skip: 0 }]),
          ),
        };

    let stale = scope.stale;
    const candidates: { key: string; execution: ExecutionSummary }[] = [];
    const pages = new Map<string, ExecutionPage>();
    await Promise.all(
      sources.map(async source => {
        const position = cursor.positions[source.key];
        if (!position) {
          return;
        }
        const page = await this.page(
          scope,
          source,
          position.token,
          query.pageSize,
          status,
        );
        stale ||= page.stale;
        pages.set(source.key, page.value);
        for (const execution of page.value.executions.slice(position.skip)) {
          candidates.push({ key: source.key, execution });
        }
      }),
    );

    // ISO 8601 dates sort as plain strings; localeCompare is far slower.
    candidates.sort((a, b) =>
      compareStrings(b.execution.startDate, a.execution.startDate),
    );
    const pageItems = candidates.slice(0, query.pageSize);

    const positions: Record<string, SourcePosition> = {};
    for (const [key, position] of Object.entries(cursor.positions)) {
      const page = pages.get(key);
      if (!page) {
        continue;
      }
      const consumed =
        position.skip + pageItems.filter(t => t.key === key).length;
      if (consumed < page.executions.length) {
        positions[key] = { token: position.token, skip: consumed };
      } else if (page.nextToken) {
        positions[key] = { token: page.nextToken, skip: 0 };
      }
    }

    const response: ExecutionsResponse = {
      executions: pageItems.map(t => t.execution),
    };
    if (Object.keys(positions).length > 0) {
      response.nextPageToken = encodeCursor({ ...cursor, positions });
    }
    if (stale) {
      response.stale = true;
    }
    return response;
  }

  /** One execution with its steps, input and output. */
  async execution(
    scope: WorkloadScope,
    executionArn: string,
  ): Promise<ExecutionDetailResponse> {
    const pipeline = this.pipelineOfExecution(scope, executionArn);
    const client = await this.clients.get('stepFunctions', executionArn);

    const load = async (): Promise<ExecutionDetailResponse> => {
      const described = await callAws(
        `DescribeExecution on ${executionArn}`,
        () => client.send(new DescribeExecutionCommand({ executionArn })),
      );
      const events = await this.history(executionArn);
      const { steps, failure } = stepsFromHistory(events);
      const execution = toSummary(
        {
          executionArn,
          stateMachineArn: pipeline.stateMachineArn,
          name: described.name,
          status: described.status,
          startDate: described.startDate,
          stopDate: described.stopDate,
        },
        pipeline.key,
      );

      const detail: ExecutionDetailResponse = {
        execution,
        input: described.input,
        output: described.output,
        steps,
      };
      if (execution.status !== 'RUNNING' && execution.status !== 'SUCCEEDED') {
        detail.failure = {
          step: failure?.step,
          error: described.error ?? failure?.error,
          cause: described.cause ?? failure?.cause,
        };
      }
      return detail;
    };

    // A finished execution never changes, so only finished ones are stored.
    const { value } = await this.cache.getOrLoad(
      scope.cacheGroup,
      `execution:${executionArn}`,
      load,
      detail => TERMINAL_STATUSES.has(detail.execution.status),
    );
    return value;
  }

  /**
   * Starts a pipeline again with `input`, or with the input of its newest
   * execution. Rejects with ConflictError while one of its executions is
   * RUNNING, unless `force` is set.
   */
  async rerun(
    scope: WorkloadScope,
    key: string,
    options: { input?: string; force?: boolean; userEntityRef: string },
  ): Promise<ExecutionSummary> {
    const pipeline = findPipeline(scope, key);
    const stateMachineArn = pipeline.stateMachineArn;
    const client = await this.clients.get('stepFunctions', stateMachineArn);

    if (!options.force) {
      const running = await this.list(stateMachineArn, null, 1, 'RUNNING');
      const execution = running.executions?.[0];
      if (execution) {
        throw new ConflictError(
          `Pipeline "${key}" is already running (execution ${
            execution.name
          }, started ${execution.startDate?.toISOString()}); wait for it to finish or send force: true to start another`,
        );
      }
    }

    let input = options.input;
    if (input === undefined) {
      input = await this.lastInput(stateMachineArn);
    }

    const name = rerunExecutionName(options.userEntityRef);
    this.logger.info(
      `Starting execution ${name} of ${stateMachineArn} for ${options.userEntityRef}`,
    );
    const started = await callAws(`StartExecution on ${stateMachineArn}`, () =>
      client.send(new StartExecutionCommand({ stateMachineArn, name, input })),
    );
    await this.cache.invalidate(scope.cacheGroup);

    return {
      executionArn: started.executionArn ?? '',
      stateMachineArn,
      pipelineKey: key,
      name,
      status: 'RUNNING',
      startDate: (started.startDate ?? new Date()).toISOString(),
      startedBy: `rerun by ${rerunUserName(options.userEntityRef)}`,
    };
  }

  /** Checks that an execution ARN belongs to one of the stack's state machines. */
  pipelineOfExecution(
    scope: WorkloadScope,
    executionArn: string,
  ): ScopedPipeline {
    const parts = executionArn.split(':');
    if (
      parts.length < 8 ||
      parts[0] !== 'arn' ||
      parts[2] !== 'states' ||
      parts[5] !== 'execution'
    ) {
      throw new InputError(
        `Invalid execution ARN "${executionArn}": expected arn:aws:states:<region>:<account>:execution:<state machine>:<name>`,
      );
    }
    const stateMachineArn = [
      ...parts.slice(0, 5),
      'stateMachine',
      parts[6],
    ].join(':');
    const pipeline = pipelineOfStateMachine(scope, stateMachineArn);
    if (!pipeline) {
      throw new NotAllowedError(
        `Execution ${executionArn} does not belong to a state machine of stack ${scope.stack.stackName}, so ${scope.entityRef} may not read it`,
      );
    }
    return pipeline;
  }

  private async page(
    scope: WorkloadScope,
    pipeline: ScopedPipeline,
    token: string | null,
    pageSize: number,
    status: string,
  ) {
    return this.cache.getOrLoad(
      scope.cacheGroup,
      `executions:${pipeline.stateMachineArn}:${status}:${pageSize}:${
        token ?? ''
      }`,
      async (): Promise<ExecutionPage> => {
        const response = await this.list(
          pipeline.stateMachineArn,
          token,
          pageSize,
          status,
        );
        return {
          executions: (response.executions ?? []).map(item =>
            toSummary(item, pipeline.key),
          ),
          nextToken: response.nextToken ?? null,
        };
      },
    );
  }

  private async list(
    stateMachineArn: string,
    token: string | null,
    maxResults: number,
    status: string,
  ) {
    const client = await this.clients.get('stepFunctions', stateMachineArn);
    return callAws(`ListExecutions on ${stateMachineArn}`, () =>
      client.send(
        new ListExecutionsCommand({
          stateMachineArn,
          maxResults,
          nextToken: token ?? undefined,
          statusFilter: (status || undefined) as SfnExecutionStatus | undefined,
        }),
      ),
    );
  }

  private async lastInput(stateMachineArn: string): Promise<string> {
    const latest = await this.list(stateMachineArn, null, 1, '');
    const executionArn = latest.executions?.[0]?.executionArn;
    if (!executionArn) {
      return '{}';
    }
    const client = await this.clients.get('stepFunctions', stateMachineArn);
    const described = await callAws(
      `DescribeExecution on ${executionArn}`,
      () => client.send(new DescribeExecutionCommand({ executionArn })),
    );
    return described.input ?? '{}';
  }

  private async history(executionArn: string): Promise<HistoryEvent[]> {
    const client = await this.clients.get('stepFunctions', executionArn);
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const token = nextToken;
      const page = await callAws(`GetExecutionHistory on ${executionArn}`, () =>
        client.send(
          new GetExecutionHistoryCommand({
            executionArn,
            maxResults: 1000,
            nextToken: token,
            includeExecutionData: false,
          }),
        ),
      );
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken && events.length < MAX_HISTORY_EVENTS);
    // NOTE: steps after the first MAX_HISTORY_EVENTS events are not shown.
    return events;
  }
}
