export { forecastPlugin, ForecastPage } from './plugin';
