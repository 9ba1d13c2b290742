import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { forecastPermissions } from '@forecast-pipelines/plugin-forecast-common';
import { AwsClientFactory } from '@forecast-pipelines/plugin-forecast-node';
import { AccuracyService } from './service/AccuracyService';
import { AwsClients } from './service/AwsClients';
import { readForecastBackendSettings } from './service/config';
import { ExportService } from './service/ExportService';
import { ForecastSeriesService } from './service/ForecastSeriesService';
import { ObjectReader } from './service/ObjectReader';
import { PipelineService } from './service/PipelineService';
import { ResponseCache } from './service/ResponseCache';
import { createRouter } from './service/router';
import { WorkloadResolver } from './service/WorkloadResolver';
import { WorkloadService } from './service/WorkloadService';

/**
 * The forecast backend plugin: the REST API behind the workload entity page,
 * under `/api/forecast`.
 *
 * @public
 */
export const forecastPlugin = createBackendPlugin({
  pluginId: 'forecast',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        cache: coreServices.cache,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        logger,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        auditor,
        cache,
        catalog,
      }) {
        permissionsRegistry.addPermissions(forecastPermissions);

        const settings = readForecastBackendSettings(config);
        const clients = new AwsClients(
          AwsClientFactory.fromConfig(config),
          logger,
        );
        const responses = new ResponseCache(cache, logger, {
          freshForMs: settings.cacheTtlSeconds * 1000,
          keepForMs: settings.staleTtlSeconds * 1000,
        });

        const resolver = new WorkloadResolver(catalog, clients, responses);
        const pipelines = new PipelineService(clients, responses, logger);
        const exports = new ExportService(
          clients,
          responses,
          logger,
          settings.maxExports,
        );
        const reader = new ObjectReader(clients, settings.maxCsvBytes);

        httpRouter.use(
          await createRouter({
            httpAuth,
            permissions,
            auditor,
            logger,
            resolver,
            pipelines,
            exports,
            workloads: new WorkloadService(
              clients,
              responses,
              pipelines,
              logger,
              settings.defaultPageSize,
            ),
            series: new ForecastSeriesService(
              exports,
              reader,
              responses,
              settings.actualsPoints,
            ),
            accuracy: new AccuracyService(clients, responses, logger),
            defaultPageSize: settings.defaultPageSize,
          }),
        );
      },
    });
  },
});
