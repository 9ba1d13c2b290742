import type { ObjectStore, RequestContext } from '../../core/types';
import type { IamStore } from '../../iam/IamStore';
import type { SchedulerService } from '../../scheduler/SchedulerService';
import type { SnsService } from '../../sns/SnsService';
import type { SsmService } from '../../ssm/SsmService';
import type { StepFunctionsService } from '../../stepfunctions';

/** The stack and request a resource provider works for. */
export interface ProviderContext extends RequestContext {
  stackName: string;
  stackId: string;
  logicalId: string;
  /** Tags of the stack, which CloudFormation copies onto taggable resources. */
  stackTags: { Key: string; Value: string }[];
}

/** A deployed resource: its physical id (what `Ref` returns) and attributes. */
export interface ResourceState {
  physicalId: string;
  attributes: Record<string, unknown>;
}

/**
 * Creates, updates and deletes one resource type. A change to any property in
 * `replacementProperties`, or any change when `update` is absent, replaces
 * the resource: the new one is created, and the old one is deleted at cleanup.
 */
export interface ResourceProvider {
  /** Attribute names `Fn::GetAtt` accepts. */
  readonly attributes: readonly string[];
  readonly replacementProperties: readonly string[];
  create(
    properties: Record<string, unknown>,
    context: ProviderContext,
  ): Promise<ResourceState>;
  update?(
    state: ResourceState,
    properties: Record<string, unknown>,
    previousProperties: Record<string, unknown>,
    context: ProviderContext,
  ): Promise<ResourceState>;
  delete(
    state: ResourceState,
    properties: Record<string, unknown>,
    context: ProviderContext,
  ): Promise<void>;
}

/** Resource types the sandbox deploys, each with its provider. */
export type ResourceProviders = Record<string, ResourceProvider>;

/** The local services the resource providers create resources in. */
export interface ProviderServices {
  dataDir: string;
  objects: ObjectStore;
  ssm: SsmService;
  sns: SnsService;
  scheduler: SchedulerService;
  iam: IamStore;
  stepFunctions: StepFunctionsService;
}
