export { createForecastService } from './ForecastService';
export type {
  ForecastService,
  ForecastServiceOptions,
} from './ForecastService';
