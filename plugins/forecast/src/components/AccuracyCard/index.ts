export { AccuracyCard } from './AccuracyCard';
