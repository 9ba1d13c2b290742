import type http from 'node:http';
import { AwsServiceError } from '../core/errors';
import type { RequestContext } from '../core/types';
import { sendReply } from '../protocols/http';
import type { ScheduleRecord, SchedulerService } from './SchedulerService';

function toWire(record: ScheduleRecord): Record<string, unknown> {
  return {
    Arn: record.arn,
    Name: record.name,
    GroupName: record.groupName,
    ScheduleExpression: record.scheduleExpression,
    ScheduleExpressionTimezone: record.timezone,
    Target: record.target,
    State: record.state,
    FlexibleTimeWindow: record.flexibleTimeWindow,
    Description: record.description,
    StartDate: record.startDate,
    EndDate: record.endDate,
    ActionAfterCompletion: record.actionAfterCompletion,
    CreationDate: record.createdAt,
    LastModificationDate: record.updatedAt,
  };
}

/**
 * EventBridge Scheduler over restJson1: `POST|PUT|GET|DELETE
 * /schedules/{Name}` and `GET /schedules`.
 */
export async function serveSchedulerRequest(
  scheduler: SchedulerService,
  request: http.IncomingMessage,
  response: http.ServerResponse,
  url: URL,
  body: Buffer,
  context: RequestContext,
): Promise<void> {
  const method = request.method ?? 'GET';
  const match = /^\/schedules(?:\/([^/]+))?$/.exec(url.pathname);
  let input: Record<string, unknown> = {};
  if (body.length > 0) {
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch {
      throw new AwsServiceError(
        'ValidationException',
        'The request body is not valid JSON',
      );
    }
  }
  const reply = (result: Record<string, unknown>) =>
    sendReply(
      response,
      200,
      { 'content-type': 'application/json' },
      JSON.stringify(result),
    );

  if (match && match[1]) {
    const name = decodeURIComponent(match[1]);
    const groupName = url.searchParams.get('groupName') ?? undefined;
    switch (method) {
      case 'POST':
        return reply({ ScheduleArn: scheduler.create(name, input, context) });
      case 'PUT':
        return reply({ ScheduleArn: scheduler.update(name, input, context) });
      case 'GET':
        return reply(toWire(scheduler.find(name, groupName)));
      case 'DELETE':
        scheduler.delete(name, groupName);
        return reply({});
      default:
        break;
    }
  }
  if (match && !match[1] && method === 'GET') {
    const all = scheduler.list({
      groupName: url.searchParams.get('ScheduleGroup') ?? undefined,
      namePrefix: url.searchParams.get('NamePrefix') ?? undefined,
      state: url.searchParams.get('State') ?? undefined,
    });
    const start = Number(url.searchParams.get('NextToken') ?? 0);
    const size = Number(url.searchParams.get('MaxResults') ?? 100);
    const page = all.slice(start, start + size);
    return reply({
      Schedules: page.map(s => ({
        Arn: s.arn,
        Name: s.name,
        GroupName: s.groupName,
        State: s.state,
        CreationDate: s.createdAt,
        LastModificationDate: s.updatedAt,
        Target: { Arn: s.target.Arn },
      })),
      NextToken: start + size < all.length ? String(start + size) : undefined,
    });
  }
  throw new AwsServiceError(
    'UnknownOperationException',
    `The sandbox's Scheduler does not support ${method} ${url.pathname}. Supported: CreateSchedule, UpdateSchedule, GetSchedule, DeleteSchedule, ListSchedules`,
  );
}

/** Sends a restJson1 error: the code in `x-amzn-errortype`, the text in `Message`. */
export function sendRestJsonError(
  response: http.ServerResponse,
  error: AwsServiceError,
  requestId: string,
): void {
  sendReply(
    response,
    error.statusCode,
    {
      'content-type': 'application/json',
      'x-amzn-errortype': error.code,
      'x-amzn-requestid': requestId,
    },
    JSON.stringify({ Message: error.message }),
  );
}
