import type { StackParameter } from './parameters';

/** A resource of a stack as stored. */
export interface ResourceRecord {
  logicalId: string;
  type: string;
  physicalId?: string;
  status: string;
  statusReason?: string;
  /** Epoch milliseconds of the last status change. */
  timestamp: number;
  /** The properties it was deployed with, intrinsics already evaluated. */
  properties: Record<string, unknown>;
  attributes: Record<string, unknown>;
  deletionPolicy?: string;
  /** Whether a replaced physical resource is kept (`Retain`) or deleted. */
  updateReplacePolicy?: string;
}

/** A stack output as DescribeStacks returns it. */
export interface OutputRecord {
  OutputKey: string;
  OutputValue: string;
  Description?: string;
  ExportName?: string;
}

/** A stack as stored in `<dataDir>/cloudformation/stacks.json`. */
export interface StackRecord {
  stackId: string;
  stackName: string;
  accountId: string;
  region: string;
  status: string;
  statusReason?: string;
  description?: string;
  templateBody: string;
  parameters: StackParameter[];
  capabilities: string[];
  tags: { Key: string; Value: string }[];
  notificationArns: string[];
  disableRollback: boolean;
  onFailure: 'ROLLBACK' | 'DELETE' | 'DO_NOTHING';
  creationTime: number;
  lastUpdatedTime?: number;
  deletionTime?: number;
  outputs: OutputRecord[];
  /** Exports of other stacks this stack imports, which those stacks cannot drop. */
  imports: string[];
  resources: Record<string, ResourceRecord>;
}

/** One entry of DescribeStackEvents. */
export interface StackEvent {
  EventId: string;
  StackId: string;
  StackName: string;
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceType: string;
  Timestamp: number;
  ResourceStatus: string;
  ResourceStatusReason?: string;
  ResourceProperties?: string;
  ClientRequestToken?: string;
}

/** States in which a stack is busy and accepts no other operation. */
export function isInProgress(status: string): boolean {
  return status.endsWith('_IN_PROGRESS');
}

/** States from which UpdateStack may start, as on AWS. */
export const UPDATABLE_STATES = [
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'UPDATE_ROLLBACK_COMPLETE',
  'UPDATE_FAILED',
  'IMPORT_COMPLETE',
  'IMPORT_ROLLBACK_COMPLETE',
];
