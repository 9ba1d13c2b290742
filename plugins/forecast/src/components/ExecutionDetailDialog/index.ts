export {
  ExecutionDetail,
  ExecutionDetailDialog,
} from './ExecutionDetailDialog';
