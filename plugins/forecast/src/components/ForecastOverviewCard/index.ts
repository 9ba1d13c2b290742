export { ForecastOverviewCard } from './ForecastOverviewCard';
