export { StepFunctionsService } from './StepFunctionsService';
export type {
  StateMachineSpec,
  StepFunctionsServiceOptions,
} from './StepFunctionsService';
export type { ParentExecution } from './ExecutionManager';
export type { TaskContext, TaskDispatcher } from './types';
