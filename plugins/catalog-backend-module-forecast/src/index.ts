/***/
/**
 * The forecast-provider module for @backstage/plugin-catalog-backend
 *
 * @packageDocumentation
 */

export { catalogModuleForecast as default } from './module';
