import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import type { ExecutionStatus as Status } from '@forecast-pipelines/plugin-forecast-common';

const LABELS: Record<Status, string> = {
  RUNNING: 'Running',
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed',
  TIMED_OUT: 'Timed out',
  ABORTED: 'Aborted',
  PENDING_REDRIVE: 'Pending redrive',
};

/** A Step Functions execution status with the matching status icon. */
export const ExecutionStatus = ({ status }: { status: Status }) => {
  const label = LABELS[status] ?? status;
  switch (status) {
    case 'SUCCEEDED':
      return <StatusOK>{label}</StatusOK>;
    case 'RUNNING':
      return <StatusRunning>{label}</StatusRunning>;
    case 'FAILED':
      return <StatusError>{label}</StatusError>;
    case 'TIMED_OUT':
      return <StatusWarning>{label}</StatusWarning>;
    case 'ABORTED':
      return <StatusAborted>{label}</StatusAborted>;
    default:
      return <StatusPending>{label}</StatusPending>;
  }
};

/**
 * A CloudFormation stack status: failed and rolled back stacks are errors,
 * stacks being changed are pending, completed ones are OK.
 */
export const StackStatus = ({ status }: { status: string }) => {
  if (status.includes('FAILED') || status.includes('ROLLBACK')) {
    return <StatusError>{status}</StatusError>;
  }
  if (status.endsWith('IN_PROGRESS')) {
    return <StatusPending>{status}</StatusPending>;
  }
  if (status.endsWith('COMPLETE')) {
    return <StatusOK>{status}</StatusOK>;
  }
  return <StatusWarning>{status}</StatusWarning>;
};
