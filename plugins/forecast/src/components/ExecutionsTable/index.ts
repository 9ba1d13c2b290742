export { ExecutionsTable } from './ExecutionsTable';
export type { ExecutionsTableProps } from './ExecutionsTable';
