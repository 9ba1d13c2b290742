/**
 * Frontend plugin for Amazon Forecast pipelines: the Forecast tab and the
 * overview card of workload entities.
 *
 * @packageDocumentation
 */

export {
  forecastPlugin,
  EntityForecastContent,
  EntityForecastOverviewCard,
} from './plugin';
export { isForecastAvailable } from './components/isForecastAvailable';
export { forecastApiRef, ForecastClient } from './api';
export type { ExecutionsQuery, ForecastApi, ForecastSeriesQuery } from './api';
export { MockForecastApi } from './mocks/MockForecastApi';
