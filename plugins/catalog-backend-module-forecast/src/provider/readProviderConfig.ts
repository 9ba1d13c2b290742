import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { readForecastAwsSettings } from '@forecast-pipelines/plugin-forecast-node';

/** One account and region the provider searches. */
export interface ForecastProviderTarget {
  accountId: string;
  region: string;
}

/** The `catalog.providers.forecast` settings. */
export interface ForecastProviderConfig {
  targets: ForecastProviderTarget[];
  schedule: SchedulerServiceTaskScheduleDefinition;
  defaultOwner: string;
}

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 30 },
  timeout: { minutes: 3 },
};

/**
 * Reads `catalog.providers.forecast`. Returns undefined when the block is
 * absent, so the module adds no provider.
 */
export function readProviderConfig(
  config: Config,
): ForecastProviderConfig | undefined {
  const providerConfig = config.getOptionalConfig('catalog.providers.forecast');
  if (!providerConfig) {
    return undefined;
  }

  const targets: ForecastProviderTarget[] = [];
  const accounts = providerConfig.getOptionalConfigArray('accounts');
  if (accounts) {
    for (const account of accounts) {
      const accountId = account.getString('accountId');
      for (const region of account.getStringArray('regions')) {
        targets.push({ accountId, region });
      }
    }
  } else {
    const settings = readForecastAwsSettings(config);
    targets.push({ accountId: settings.accountId, region: settings.region });
  }

  const schedule = providerConfig.has('schedule')
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        providerConfig.getConfig('schedule'),
      )
    : DEFAULT_SCHEDULE;

  return {
    targets,
    schedule,
    defaultOwner: providerConfig.getOptionalString('defaultOwner') ?? 'unknown',
  };
}
