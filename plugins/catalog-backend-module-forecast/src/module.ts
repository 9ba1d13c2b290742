import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { ForecastProvider } from './provider/ForecastProvider';

export const catalogModuleForecast = createBackendModule({
  moduleId: 'forecast-provider',
  pluginId: 'catalog',
  register({ registerInit }) {
    registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        scheduler: coreServices.scheduler,
        processing: catalogProcessingExtensionPoint,
      },
      async init({ logger, scheduler, config, processing }) {
        processing.addEntityProvider(
          ForecastProvider.fromConfig(config, {
            logger,
            scheduler,
          }),
        );
      },
    });
  },
});
