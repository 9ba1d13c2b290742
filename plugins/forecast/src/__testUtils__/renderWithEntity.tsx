import { ReactElement } from 'react';
import { SWRConfig } from 'swr';
import type { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { alertApiRef } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { ForecastApi, forecastApiRef } from '../api';
import { mockEntity } from '../mocks/mockData';

/** A ForecastApi whose every method rejects unless the test overrides it. */
export function createForecastApiMock(
  overrides: Partial<ForecastApi> = {},
): jest.Mocked<ForecastApi> {
  const unexpected = (name: string) =>
    jest.fn(() => Promise.reject(new Error(`unexpected call to ${name}`)));
  return {
    getWorkload: unexpected('getWorkload'),
    getPipelines: unexpected('getPipelines'),
    getExecutions: unexpected('getExecutions'),
    getExecution: unexpected('getExecution'),
    rerunPipeline: unexpected('rerunPipeline'),
    getExports: unexpected('getExports'),
    downloadExportFile: unexpected('downloadExportFile'),
    getForecast: unexpected('getForecast'),
    getAccuracy: unexpected('getAccuracy'),
    ...overrides,
  } as jest.Mocked<ForecastApi>;
}

/** Returns a promise that never settles, which keeps a component loading. */
export function pending<T>(): Promise<T> {
  return new Promise<T>(() => {});
}

/**
 * Renders a plugin component in a Backstage test app with the given API,
 * a permission API that allows or denies everything, and an entity.
 */
export function renderWithEntity(
  element: ReactElement,
  options: {
    api: ForecastApi;
    permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    entity?: Entity;
    alertApi?: { post: jest.Mock };
  },
) {
  const alertApi = options.alertApi ?? { post: jest.fn() };
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [forecastApiRef, options.api],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: options.permission ?? AuthorizeResult.ALLOW,
          }),
        ],
        [alertApiRef, alertApi],
      ]}
    >
      {/* usePermission caches results in SWR; a fresh cache per render keeps
          one test's permission result out of the next test. */}
      <SWRConfig value={{ provider: () => new Map() }}>
        <EntityProvider entity={options.entity ?? mockEntity}>
          {element}
        </EntityProvider>
      </SWRConfig>
    </TestApiProvider>,
  );
}

/** A `ResponseError` as the backend's error handler would produce it. */
export async function responseError(
  status: number,
  name: string,
  message: string,
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        response: { statusCode: status },
      }),
      { status, headers: { 'Content-Type': 'application/json' } },
    ),
  );
}
