export { forecastApiRef } from './ForecastApi';
export type {
  ExecutionsQuery,
  ForecastApi,
  ForecastSeriesQuery,
} from './ForecastApi';
export { ForecastClient } from './ForecastClient';
