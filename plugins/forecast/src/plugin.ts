import {
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';

import { rootRouteRef } from './routes';

export const forecastPlugin = createPlugin({
  id: 'forecast',
  routes: {
    root: rootRouteRef,
  },
});

export const ForecastPage = forecastPlugin.provide(
  createRoutableExtension({
    name: 'ForecastPage',
    component: () =>
      import('./components/ExampleComponent').then(m => m.ExampleComponent),
    mountPoint: rootRouteRef,
  }),
);
