import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  type OverridableFrontendPlugin,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { ForecastClient, forecastApiRef } from './api';
import { isForecastAvailable } from './components/isForecastAvailable';

/** Client of the forecast backend. */
const forecastApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: forecastApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ForecastClient({ discoveryApi, fetchApi }),
    }),
});

/** The Forecast tab, on entities with the `amazon-forecast/stack-arn` annotation. */
const forecastEntityContent = EntityContentBlueprint.make({
  params: {
    path: '/forecast',
    title: 'Forecast',
    filter: isForecastAvailable,
    loader: () =>
      import('./components/EntityForecastContent').then(m => (
        <m.EntityForecastContent />
      )),
  },
});

/** The overview card, on the same entities as the tab. */
const forecastEntityOverviewCard = EntityCardBlueprint.make({
  name: 'overview',
  params: {
    filter: isForecastAvailable,
    loader: () =>
      import('./components/ForecastOverviewCard').then(m => (
        <m.ForecastOverviewCard />
      )),
  },
});

/**
 * The Forecast pipelines plugin for the new frontend system. Apps with
 * `app.packages: all` discover it from this `/alpha` entry point. Its
 * extensions are `api:forecast`, `entity-content:forecast` and
 * `entity-card:forecast/overview`.
 */
const forecastPlugin: OverridableFrontendPlugin = createFrontendPlugin({
  pluginId: 'forecast',
  title: 'Forecast',
  info: { packageJson: () => import('../package.json') },
  extensions: [forecastApi, forecastEntityContent, forecastEntityOverviewCard],
});

export default forecastPlugin;
