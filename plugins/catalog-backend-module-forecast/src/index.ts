/**
 * A catalog module that adds Amazon Forecast workload and dependency stacks,
 * found by their tags, to the software catalog.
 *
 * @packageDocumentation
 */

export { catalogModuleForecast as default } from './module';
export { ForecastStackProvider } from './provider/ForecastStackProvider';
export type { ForecastStackProviderOptions } from './provider/ForecastStackProvider';
export { readProviderConfig } from './provider/readProviderConfig';
export type {
  ForecastProviderConfig,
  ForecastProviderTarget,
} from './provider/readProviderConfig';
export { stackToEntity } from './provider/stackToEntity';
