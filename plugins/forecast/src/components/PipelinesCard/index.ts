export { PipelinesCard } from './PipelinesCard';
export type { PipelinesCardProps } from './PipelinesCard';
export { RERUN_DENIED_MESSAGE } from './RerunButton';
