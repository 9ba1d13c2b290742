export { RerunDialog, checkJsonInput } from './RerunDialog';
export type { RerunDialogProps } from './RerunDialog';
