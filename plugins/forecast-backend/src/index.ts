export { forecastPlugin as default } from './plugin';
