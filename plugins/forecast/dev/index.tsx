import { createDevApp } from '@backstage/dev-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EntityForecastContent,
  EntityForecastOverviewCard,
  forecastPlugin,
} from '../src/plugin';
import { forecastApiRef } from '../src/api';
import { MockForecastApi } from '../src/mocks/MockForecastApi';
import { mockEntity } from '../src/mocks/mockData';

// `yarn start` in this package serves these pages against an in-memory API,
// so no backend or AWS account is needed.
createDevApp()
  .registerPlugin(forecastPlugin)
  .registerApi({
    api: forecastApiRef,
    deps: {},
    factory: () => new MockForecastApi(),
  })
  .registerApi({
    api: permissionApiRef,
    deps: {},
    factory: () => ({
      authorize: async () => ({ result: AuthorizeResult.ALLOW }),
    }),
  })
  .addPage({
    title: 'Forecast tab',
    path: '/forecast',
    element: (
      <EntityProvider entity={mockEntity}>
        <EntityForecastContent />
      </EntityProvider>
    ),
  })
  .addPage({
    title: 'Overview card',
    path: '/forecast-overview',
    element: (
      <EntityProvider entity={mockEntity}>
        <EntityForecastOverviewCard />
      </EntityProvider>
    ),
  })
  .render();
