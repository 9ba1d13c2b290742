export { ExecutionStatus, StackStatus } from './ExecutionStatus';
