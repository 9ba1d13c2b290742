import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { ForecastClient, forecastApiRef } from './api';
import { rootRouteRef } from './routes';

/** The Forecast pipelines plugin for the legacy frontend system. */
export const forecastPlugin = createPlugin({
  id: 'forecast',
  routes: {
    root: rootRouteRef,
  },
  apis: [
    createApiFactory({
      api: forecastApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ForecastClient({ discoveryApi, fetchApi }),
    }),
  ],
});

/**
 * The Forecast tab of a workload entity page. Shows a missing-annotation
 * hint on entities without `amazon-forecast/stack-arn`.
 */
export const EntityForecastContent = forecastPlugin.provide(
  createRoutableExtension({
    name: 'EntityForecastContent',
    component: () =>
      import('./components/EntityForecastContent').then(
        m => m.EntityForecastContent,
      ),
    mountPoint: rootRouteRef,
  }),
);

/** Overview card of a workload: status, freshness, schedule, accuracy. */
export const EntityForecastOverviewCard = forecastPlugin.provide(
  createComponentExtension({
    name: 'EntityForecastOverviewCard',
    component: {
      lazy: () =>
        import('./components/ForecastOverviewCard').then(
          m => m.ForecastOverviewCard,
        ),
    },
  }),
);
