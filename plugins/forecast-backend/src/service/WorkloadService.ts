import { GetScheduleCommand } from '@aws-sdk/client-scheduler';
import { nextRunOf } from './nextRun';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type { WorkloadResponse } from '@forecast-pipelines/plugin-forecast-common';
import { AwsClients } from './AwsClients';
import { callAws } from './awsErrors';
import { PipelineService } from './PipelineService';
import { ResponseCache } from './ResponseCache';
import { parseS3Path } from './s3Paths';
import type { WorkloadScope } from './WorkloadResolver';

/** Stack parameters shown on the entity page; the rest stay in CloudFormation. */
const SHOWN_PARAMETERS = [
  'DependencyStackName',
  'DatasetGroupName',
  'Domain',
  'DataFrequency',
  'TimestampFormat',
  'TargetTimeSeriesSchema',
  'IncludeRelatedTimeSeries',
  'IncludeItemMetadata',
  'ForecastDimensions',
  'ForecastFrequency',
  'ForecastHorizon',
  'TrainingForecastTypes',
  'ForecastTypes',
  'OptimizationMetric',
  'ImportMode',
  'InputDataPrefix',
  'ScheduleExpression',
  'PredictorMaxAgeDays',
];

interface ScheduleSummary {
  expression: string;
  state: string;
  nextRun?: string;
}

/** Builds the workload summary: stack status, parameters, outputs, schedule and links. */
export class WorkloadService {
  constructor(
    private readonly clients: AwsClients,
    private readonly cache: ResponseCache,
    private readonly pipelines: PipelineService,
    private readonly logger: LoggerService,
    private readonly pageSize: number,
  ) {}

  async workload(scope: WorkloadScope): Promise<WorkloadResponse> {
    const { stack } = scope;
    const parameters: Record<string, string> = {};
    for (const key of SHOWN_PARAMETERS) {
      if (stack.parameters[key] !== undefined) {
        parameters[key] = stack.parameters[key];
      }
    }

    const response: WorkloadResponse = {
      stackName: stack.stackName,
      stackArn: scope.stackArn,
      stackStatus: stack.status,
      stackStatusReason: stack.statusReason,
      region: scope.region,
      accountId: scope.accountId,
      lastUpdated: stack.lastUpdated,
      parameters,
      outputs: stack.outputs,
      links: this.links(scope),
    };

    const schedule = await this.schedule(scope);
    if (schedule.value) {
      response.schedule = schedule.value;
    }

    // The newest success among the workflow's first page, which the
    // pipelines route has usually cached already.
    let stale = false;
    if (scope.pipelines.some(p => p.key === 'workflow')) {
      const page = await this.pipelines.executions(scope, {
        pipeline: 'workflow',
        pageSize: this.pageSize,
      });
      stale = Boolean(page.stale);
      const succeeded = page.executions.find(e => e.status === 'SUCCEEDED');
      if (succeeded?.stopDate) {
        response.lastSuccessfulForecast = {
          executionArn: succeeded.executionArn,
          stopDate: succeeded.stopDate,
        };
      }
      // NOTE: a success older than the first page of workflow runs is not shown.
    }

    if (scope.stale || stale || schedule.stale) {
      response.stale = true;
    }
    return response;
  }

  private async schedule(scope: WorkloadScope) {
    const name = scope.stack.outputs.ScheduleName;
    if (!name) {
      return { value: undefined, stale: false };
    }
    return this.cache.getOrLoad(scope.cacheGroup, 'schedule', async () => {
      const scheduler = await this.clients.get('scheduler', scope.stackArn);
      try {
        const schedule = await callAws(`GetSchedule ${name}`, () =>
          scheduler.send(new GetScheduleCommand({ Name: name })),
        );
        const expression = schedule.ScheduleExpression ?? '';
        const summary: ScheduleSummary = {
          expression,
          state: schedule.State ?? 'UNKNOWN',
          nextRun: nextRunOf({
            expression,
            timezone: schedule.ScheduleExpressionTimezone,
            startDate: schedule.StartDate ?? schedule.CreationDate,
          }),
        };
        return summary;
      } catch (error) {
        if (error instanceof NotFoundError) {
          this.logger.warn(
            `Schedule ${name} of ${scope.stack.stackName} was not found`,
          );
          return undefined;
        }
        throw error;
      }
    });
  }

  private links(scope: WorkloadScope): { title: string; url: string }[] {
    const region = scope.region;
    const console = `https://${region}.console.aws.amazon.com`;
    const links = [
      {
        title: 'CloudFormation stack',
        url: `${console}/cloudformation/home?region=${region}#/stacks/stackinfo?stackId=${encodeURIComponent(
          scope.stackArn,
        )}`,
      },
    ];
    for (const pipeline of scope.pipelines) {
      links.push({
        title: `State machine: ${pipeline.title}`,
        url: `${console}/states/home?region=${region}#/statemachines/view/${encodeURIComponent(
          pipeline.stateMachineArn,
        )}`,
      });
    }
    const exportPath = scope.stack.outputs.ForecastExportPath;
    if (exportPath) {
      const { bucket, prefix } = parseS3Path(
        exportPath,
        'stack output ForecastExportPath',
      );
      links.push({
        title: 'Forecast exports in S3',
        url: `https://s3.console.aws.amazon.com/s3/buckets/${bucket}?region=${region}&prefix=${encodeURIComponent(
          prefix,
        )}`,
      });
    }
    const datasetGroup = scope.stack.outputs.DatasetGroupName;
    if (datasetGroup) {
      links.push({
        title: 'Forecast dataset group',
        url: `${console}/forecast/home?region=${region}#datasetGroups/${encodeURIComponent(
          `arn:${scope.partition}:forecast:${region}:${scope.accountId}:dataset-group/${datasetGroup}`,
        )}/dashboard`,
      });
    }
    return links;
  }
}
