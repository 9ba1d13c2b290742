import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { startSandbox } from './server';

/**
 * Runs the offline AWS sandbox inside the Backstage backend when
 * `forecast.sandbox.enabled` is true. The other Forecast plugins find it
 * through the same config (`forecast.sandbox.port`), so nothing else changes.
 */
export const forecastSandboxPlugin = createBackendPlugin({
  pluginId: 'forecast-sandbox',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.rootLifecycle,
      },
      async init({ config, logger, lifecycle }) {
        if (!config.getOptionalBoolean('forecast.sandbox.enabled')) {
          logger.info('Forecast sandbox is disabled');
          return;
        }
        const sandbox = await startSandbox({
          port: config.getOptionalNumber('forecast.sandbox.port') ?? 4566,
          dataDir: config.getOptionalString('forecast.sandbox.dataDir'),
          waitCompression: config.getOptionalNumber(
            'forecast.sandbox.waitCompression',
          ),
          logger,
        });
        lifecycle.addShutdownHook(() => sandbox.close());
      },
    });
  },
});
