export { AboutField } from './AboutField';
