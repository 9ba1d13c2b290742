import path from 'node:path';
import { AwsServiceError } from '../core/errors';
import { JsonFileStore } from '../core/JsonFileStore';
import type { RequestContext, SandboxLogger } from '../core/types';
import { nextFireTime, parseScheduleExpression } from './scheduleExpression';

/** The target of a schedule, in the Scheduler API's names. */
export interface ScheduleTarget {
  Arn: string;
  RoleArn: string;
  Input?: string;
  [key: string]: unknown;
}

/** A stored schedule. */
export interface ScheduleRecord {
  name: string;
  groupName: string;
  arn: string;
  scheduleExpression: string;
  timezone: string;
  target: ScheduleTarget;
  state: 'ENABLED' | 'DISABLED';
  flexibleTimeWindow: Record<string, unknown>;
  description?: string;
  startDate?: number;
  endDate?: number;
  actionAfterCompletion?: string;
  createdAt: number;
  updatedAt: number;
  accountId: string;
  region: string;
  /** How often it fired, and how the last firing went. */
  invocations: number;
  lastFiredAt?: number;
  lastError?: string;
}

/** Starts what a schedule targets; the server sends it to Step Functions. */
export type ScheduleInvoker = (
  target: ScheduleTarget,
  context: RequestContext,
) => Promise<void>;

const NAME = /^[0-9a-zA-Z-_.]{1,64}$/;
// setTimeout takes at most 2^31-1 ms; longer waits are re-armed.
const MAX_TIMER_MS = 2_147_483_647;

/**
 * EventBridge Scheduler: schedules kept in `<dataDir>/scheduler/schedules.json`
 * and fired by timers while the sandbox runs. `compression` divides every
 * wait, so tests can see a `rate(1 minute)` schedule fire in milliseconds.
 * Firings missed while the sandbox was stopped are not made up.
 */
export class SchedulerService {
  private readonly schedules: JsonFileStore<ScheduleRecord>;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private closed = false;

  constructor(
    dataDir: string,
    private readonly invoke: ScheduleInvoker,
    private readonly logger: SandboxLogger,
    private readonly compression = 1,
  ) {
    this.schedules = new JsonFileStore(
      path.join(dataDir, 'scheduler', 'schedules.json'),
    );
  }

  /** Arms the timers of every stored schedule. */
  start(): void {
    for (const [id, record] of this.schedules.entries()) {
      this.arm(id, record, Date.now());
    }
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) {
      clearTimeout(timer);
    }
    this.timers.clear();
  }

  create(
    name: string,
    input: Record<string, unknown>,
    context: RequestContext,
  ): string {
    const groupName = (input.GroupName as string | undefined) ?? 'default';
    const id = `${groupName}/${name}`;
    if (this.schedules.has(id)) {
      throw new AwsServiceError(
        'ConflictException',
        `Schedule ${name} already exists in group ${groupName}. Use UpdateSchedule to change it.`,
        409,
      );
    }
    const record = this.toRecord(name, groupName, input, context);
    this.schedules.set(id, record);
    this.logger.info(
      `Schedule ${record.arn} created: ${record.scheduleExpression}`,
    );
    this.arm(id, record, Date.now());
    return record.arn;
  }

  update(
    name: string,
    input: Record<string, unknown>,
    context: RequestContext,
  ): string {
    const existing = this.find(name, input.GroupName as string | undefined);
    const record = this.toRecord(name, existing.groupName, input, context);
    record.createdAt = existing.createdAt;
    record.invocations = existing.invocations;
    record.lastFiredAt = existing.lastFiredAt;
    const id = `${existing.groupName}/${name}`;
    this.schedules.set(id, record);
    this.logger.info(
      `Schedule ${record.arn} updated: ${record.scheduleExpression}`,
    );
    this.arm(id, record, Date.now());
    return record.arn;
  }

  delete(name: string, groupName?: string): void {
    const record = this.find(name, groupName);
    const id = `${record.groupName}/${name}`;
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    this.schedules.delete(id);
    this.logger.info(`Schedule ${record.arn} deleted`);
  }

  find(name: string, groupName = 'default'): ScheduleRecord {
    const record = this.schedules.get(`${groupName}/${name}`);
    if (!record) {
      throw new AwsServiceError(
        'ResourceNotFoundException',
        `Schedule ${name} does not exist in group ${groupName}.`,
        404,
      );
    }
    return record;
  }

  list(filter: {
    groupName?: string;
    namePrefix?: string;
    state?: string;
  }): ScheduleRecord[] {
    return this.schedules
      .values()
      .filter(s => !filter.groupName || s.groupName === filter.groupName)
      .filter(s => !filter.namePrefix || s.name.startsWith(filter.namePrefix))
      .filter(s => !filter.state || s.state === filter.state)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  private toRecord(
    name: string,
    groupName: string,
    input: Record<string, unknown>,
    context: RequestContext,
  ): ScheduleRecord {
    if (!NAME.test(name)) {
      throw new AwsServiceError(
        'ValidationException',
        `Invalid schedule name "${name}": use 1 to 64 characters from 0-9, a-z, A-Z, -, _ and .`,
      );
    }
    const expression = String(input.ScheduleExpression ?? '');
    parseScheduleExpression(expression);
    const target = input.Target as ScheduleTarget | undefined;
    if (!target?.Arn || !target?.RoleArn) {
      throw new AwsServiceError(
        'ValidationException',
        `Schedule ${name} needs a Target with an Arn and a RoleArn`,
      );
    }
    if (!input.FlexibleTimeWindow) {
      throw new AwsServiceError(
        'ValidationException',
        `Schedule ${name} needs a FlexibleTimeWindow, for example {"Mode": "OFF"}`,
      );
    }
    const state =
      (input.State as ScheduleRecord['state'] | undefined) ?? 'ENABLED';
    if (state !== 'ENABLED' && state !== 'DISABLED') {
      throw new AwsServiceError(
        'ValidationException',
        `Invalid State "${state}" for schedule ${name}: use ENABLED or DISABLED`,
      );
    }
    const now = Date.now() / 1000;
    return {
      name,
      groupName,
      arn: `arn:aws:scheduler:${context.region}:${context.accountId}:schedule/${groupName}/${name}`,
      scheduleExpression: expression,
      timezone:
        (input.ScheduleExpressionTimezone as string | undefined) ?? 'UTC',
      target,
      state,
      flexibleTimeWindow: input.FlexibleTimeWindow as Record<string, unknown>,
      description: input.Description as string | undefined,
      startDate: input.StartDate as number | undefined,
      endDate: input.EndDate as number | undefined,
      actionAfterCompletion: input.ActionAfterCompletion as string | undefined,
      createdAt: now,
      updatedAt: now,
      accountId: context.accountId,
      region: context.region,
      invocations: 0,
    };
  }

  /**
   * Sets the timer for the firing after `logicalNow`. Waits are divided by
   * the compression factor, and the logical clock moves to each firing time.
   */
  private arm(id: string, record: ScheduleRecord, logicalNow: number): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    if (this.closed || record.state !== 'ENABLED') {
      return;
    }
    const start = new Date((record.startDate ?? record.createdAt) * 1000);
    const next = nextFireTime(
      parseScheduleExpression(record.scheduleExpression),
      new Date(Math.max(logicalNow, start.getTime())),
      start,
      record.timezone,
    );
    if (!next || (record.endDate && next.getTime() > record.endDate * 1000)) {
      return;
    }
    const delay = Math.max(0, (next.getTime() - logicalNow) / this.compression);
    const timer = setTimeout(() => {
      if (delay > MAX_TIMER_MS) {
        this.arm(id, record, logicalNow + MAX_TIMER_MS * this.compression);
        return;
      }
      this.fire(id, next.getTime());
    }, Math.min(delay, MAX_TIMER_MS));
    timer.unref();
    this.timers.set(id, timer);
  }

  private fire(id: string, logicalTime: number): void {
    const record = this.schedules.get(id);
    if (!record || this.closed) {
      return;
    }
    const context = {
      accountId: record.accountId,
      region: record.region,
      requestId: `schedule-${record.name}-${logicalTime}`,
    };
    this.logger.info(`Schedule ${record.arn} fires ${record.target.Arn}`);
    this.invoke(record.target, context).then(
      () => this.recordFiring(id, undefined),
      error => {
        this.logger.warn(
          `Schedule ${record.arn} failed to start ${record.target.Arn}: ${error}`,
        );
        this.recordFiring(id, String((error as Error).message ?? error));
      },
    );
    this.arm(id, record, logicalTime);
  }

  private recordFiring(id: string, error: string | undefined): void {
    if (!this.schedules.has(id) || this.closed) {
      return;
    }
    this.schedules.update(id, record => {
      record.invocations += 1;
      record.lastFiredAt = Date.now() / 1000;
      record.lastError = error;
    });
  }
}
