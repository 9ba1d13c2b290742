import type { ForecastStackRole } from './annotations';

/**
 * Events service topic the scaffolder actions publish to after a stack
 * deployment finishes, so the catalog provider refreshes at once instead of
 * waiting for its next scheduled run.
 */
export const FORECAST_STACK_DEPLOYED_TOPIC = 'forecast.stack.deployed';

/** Payload of an event on {@link FORECAST_STACK_DEPLOYED_TOPIC}. */
export interface ForecastStackDeployedEvent {
  stackId: string;
  stackName: string;
  role: ForecastStackRole;
  accountId: string;
  region: string;
  /** Final stack status, for example `CREATE_COMPLETE`. */
  status: string;
}
