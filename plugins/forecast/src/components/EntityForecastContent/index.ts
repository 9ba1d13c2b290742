export { EntityForecastContent } from './EntityForecastContent';
