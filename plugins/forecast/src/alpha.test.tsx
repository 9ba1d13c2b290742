import { screen } from '@testing-library/react';
import type { Entity } from '@backstage/catalog-model';
import {
  AnyApiFactory,
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { SWRConfig } from 'swr';
import forecastPlugin from './alpha';
import { forecastApiRef } from './api';
import {
  mockAccuracy,
  mockEntity,
  mockEntityWithoutAnnotation,
  mockWorkload,
} from './mocks/mockData';
import { createForecastApiMock } from './__testUtils__/renderWithEntity';

// The plugin's default export is typed as a plain OverridableFrontendPlugin,
// so extension outputs read here need their types restated.
type EntityFilter = (entity: Entity) => boolean;

describe('forecast plugin for the new frontend system', () => {
  it('provides the API with the forecast client', () => {
    const tester = createExtensionTester(
      forecastPlugin.getExtension('api:forecast'),
    );
    const factory = tester.get(ApiBlueprint.dataRefs.factory) as AnyApiFactory;
    expect(factory.api.id).toBe(forecastApiRef.id);
    expect(Object.keys(factory.deps).sort()).toEqual([
      'discoveryApi',
      'fetchApi',
    ]);
  });

  it('adds the Forecast tab to workload entities only', () => {
    const tester = createExtensionTester(
      forecastPlugin.getExtension('entity-content:forecast'),
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('/forecast');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Forecast');

    const filter = tester.get(
      EntityContentBlueprint.dataRefs.filterFunction,
    ) as EntityFilter;
    expect(filter(mockEntity)).toBe(true);
    expect(filter(mockEntityWithoutAnnotation)).toBe(false);
  });

  it('renders the overview card on workload entities', async () => {
    const tester = createExtensionTester(
      forecastPlugin.getExtension('entity-card:forecast/overview'),
    );
    const filter = tester.get(
      EntityCardBlueprint.dataRefs.filterFunction,
    ) as EntityFilter;
    expect(filter(mockEntity)).toBe(true);
    expect(filter(mockEntityWithoutAnnotation)).toBe(false);

    const api = createForecastApiMock({
      getWorkload: jest.fn(async () => mockWorkload),
      getAccuracy: jest.fn(async () => mockAccuracy),
    });
    renderInTestApp(
      <SWRConfig value={{ provider: () => new Map() }}>
        <EntityProvider entity={mockEntity}>
          {tester.reactElement()}
        </EntityProvider>
      </SWRConfig>,
      {
        apis: [
          [forecastApiRef, api],
          [
            permissionApiRef,
            mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
          ],
        ],
      },
    );

    expect(await screen.findByText('CREATE_COMPLETE')).toBeInTheDocument();
    expect(screen.getByText('Forecast pipeline')).toBeInTheDocument();
  });
});
