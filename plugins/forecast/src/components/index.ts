export { AccuracyCard } from './AccuracyCard';
export { EntityForecastContent } from './EntityForecastContent';
export { ExecutionsTable } from './ExecutionsTable';
export { ExportsCard } from './ExportsCard';
export { ForecastChartCard } from './ForecastChartCard';
export { ForecastOverviewCard } from './ForecastOverviewCard';
export { isForecastAvailable } from './isForecastAvailable';
export { PipelinesCard } from './PipelinesCard';
