export { ForecastChartCard } from './ForecastChartCard';
export { buildChartData, pickSeries } from './chartData';
