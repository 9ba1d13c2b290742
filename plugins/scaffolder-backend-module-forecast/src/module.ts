import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { AwsClientFactory } from '@forecast-pipelines/plugin-forecast-node';
import { createForecastActions } from './actions';
import { generateSampleDataset } from './data/sampleDataset';

/**
 * Registers the Amazon Forecast actions with the scaffolder:
 * `forecast:dependency:deploy`, `forecast:workload:deploy`,
 * `forecast:data:upload` and `forecast:pipeline:start`.
 */
export const scaffolderModuleForecast = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'forecast',
  register({ registerInit }) {
    registerInit({
      deps: {
        scaffolderActions: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        events: eventsServiceRef,
      },
      async init({ scaffolderActions, config, events }) {
        const clientFactory = AwsClientFactory.fromConfig(config);
        scaffolderActions.addActions(
          ...createForecastActions({
            clientFactory,
            events,
            sampleDataset: generateSampleDataset,
          }),
        );
      },
    });
  },
});
