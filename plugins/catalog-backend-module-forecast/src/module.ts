import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  FORECAST_STACK_DEPLOYED_TOPIC,
  ForecastStackDeployedEvent,
} from '@forecast-pipelines/plugin-forecast-common';
import { AwsClientFactory } from '@forecast-pipelines/plugin-forecast-node';
import { ForecastStackProvider } from './provider/ForecastStackProvider';
import { readProviderConfig } from './provider/readProviderConfig';

/**
 * Adds one {@link ForecastStackProvider} per configured account and region,
 * refreshed on the configured schedule and at once when a scaffolder action
 * announces a deployment on the events service.
 */
export const catalogModuleForecast = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'forecast',
  register({ registerInit }) {
    registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        scheduler: coreServices.scheduler,
        processing: catalogProcessingExtensionPoint,
        events: eventsServiceRef,
      },
      async init({ logger, config, scheduler, processing, events }) {
        const providerConfig = readProviderConfig(config);
        if (!providerConfig) {
          logger.info(
            'catalog.providers.forecast is not configured; no Forecast stacks are added to the catalog',
          );
          return;
        }

        const clientFactory = AwsClientFactory.fromConfig(config);
        const providers = providerConfig.targets.map(
          target =>
            new ForecastStackProvider({
              target,
              clientFactory,
              logger,
              defaultOwner: providerConfig.defaultOwner,
              taskRunner: scheduler.createScheduledTaskRunner(
                providerConfig.schedule,
              ),
            }),
        );
        processing.addEntityProvider(providers);

        await events.subscribe({
          id: 'forecast-stack-provider',
          topics: [FORECAST_STACK_DEPLOYED_TOPIC],
          async onEvent({ eventPayload }) {
            const event = eventPayload as ForecastStackDeployedEvent;
            const matching = providers.filter(
              provider =>
                provider.target.region === event.region &&
                (!provider.target.accountId ||
                  !event.accountId ||
                  provider.target.accountId === event.accountId),
            );
            if (matching.length === 0) {
              logger.info(
                `Stack ${event.stackName} was deployed to account ${event.accountId} in ${event.region}, which catalog.providers.forecast does not list; it is not added to the catalog`,
              );
              return;
            }
            logger.info(
              `Refreshing Forecast stacks after the deployment of ${event.stackName}`,
            );
            for (const provider of matching) {
              await provider.refresh().catch(() => undefined);
            }
          },
        });
      },
    });
  },
});
