export { ForecastOverviewCard } from './ForecastOverviewCard';
export type { RefreshProps } from './ForecastOverviewCard';
