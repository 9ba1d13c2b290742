import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  FORECAST_STACK_ARN_ANNOTATION,
  FORECAST_TAGS,
  getForecastStackArn,
} from '@forecast-pipelines/plugin-forecast-common';
import { parseArn } from '@forecast-pipelines/plugin-forecast-node';
import { AwsClients } from './AwsClients';
import { callAws } from './awsErrors';
import { PIPELINE_DEFINITIONS, PipelineDefinition } from './pipelines';
import { ResponseCache } from './ResponseCache';

/** A pipeline of the workload with its state machine ARN from the outputs. */
export interface ScopedPipeline extends PipelineDefinition {
  stateMachineArn: string;
}

/** Stack description as kept in the cache. */
export interface StackDescription {
  stackId: string;
  stackName: string;
  status: string;
  statusReason?: string;
  lastUpdated?: string;
  parameters: Record<string, string>;
  outputs: Record<string, string>;
  tags: Record<string, string>;
}

/**
 * The catalog entity a request is about, with its workload stack. Every AWS
 * resource a route touches must come from this scope: the stack's outputs
 * and parameters are the only source of ARNs, bucket names and prefixes.
 */
export interface WorkloadScope {
  entity: Entity;
  entityRef: string;
  stackArn: string;
  partition: string;
  accountId: string;
  region: string;
  stack: StackDescription;
  pipelines: ScopedPipeline[];
  /** Cache group of everything read for this stack. */
  cacheGroup: string;
  /** Whether the stack description came from the cache because AWS throttled. */
  stale: boolean;
}

const DELETED_STATUSES = new Set(['DELETE_COMPLETE']);

/**
 * Resolves a route's catalog entity to its workload stack: reads the entity
 * with the caller's credentials (so catalog permissions apply), takes the
 * stack ARN from the `amazon-forecast/stack-arn` annotation and checks that
 * the stack's `forecast-pipelines:entity-ref` tag names the same entity.
 */
export class WorkloadResolver {
  constructor(
    private readonly catalog: CatalogService,
    private readonly clients: AwsClients,
    private readonly cache: ResponseCache,
  ) {}

  async resolve(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<WorkloadScope> {
    const entityRef = stringifyEntityRef(ref);
    const entity = await this.catalog.getEntityByRef(ref, { credentials });
    if (!entity) {
      throw new NotFoundError(
        `Entity ${entityRef} was not found in the catalog, or you may not read it`,
      );
    }

    const stackArn = getForecastStackArn(entity);
    if (!stackArn) {
      throw new NotFoundError(
        `Entity ${entityRef} has no ${FORECAST_STACK_ARN_ANNOTATION} annotation, so it has no Forecast workload; add the annotation with the stack ARN`,
      );
    }
    const arn = parseArn(stackArn);
    if (
      arn.service !== 'cloudformation' ||
      !arn.resource.startsWith('stack/')
    ) {
      throw new InputError(
        `Annotation ${FORECAST_STACK_ARN_ANNOTATION} of ${entityRef} is "${stackArn}", which is not a CloudFormation stack ARN (arn:aws:cloudformation:<region>:<account>:stack/<name>/<id>)`,
      );
    }

    const { value: stack, stale } = await this.cache.getOrLoad(
      stackArn,
      'stack',
      () => this.describeStack(stackArn),
    );

    if (DELETED_STATUSES.has(stack.status)) {
      throw new NotFoundError(
        `Stack ${stack.stackName} of ${entityRef} was deleted (${stack.status}); the entity is left over in the catalog`,
      );
    }
    this.checkEntityTag(entityRef, stack);

    const pipelines: ScopedPipeline[] = [];
    for (const definition of PIPELINE_DEFINITIONS) {
      const stateMachineArn = stack.outputs[definition.outputKey];
      if (stateMachineArn) {
        pipelines.push({ ...definition, stateMachineArn });
      }
    }

    return {
      entity,
      entityRef,
      stackArn,
      partition: arn.partition,
      accountId: arn.accountId,
      region: arn.region,
      stack,
      pipelines,
      cacheGroup: stackArn,
      stale,
    };
  }

  /** The stack's tag must name this entity, so no entity borrows another team's stack. */
  private checkEntityTag(entityRef: string, stack: StackDescription) {
    const tagged = stack.tags[FORECAST_TAGS.entityRef];
    if (!tagged) {
      throw new NotAllowedError(
        `Stack ${stack.stackName} has no ${FORECAST_TAGS.entityRef} tag, so it cannot be shown for ${entityRef}; tag the stack with the entity ref`,
      );
    }
    let taggedRef: string;
    try {
      taggedRef = stringifyEntityRef(
        parseEntityRef(tagged, {
          defaultKind: 'component',
          defaultNamespace: 'default',
        }),
      );
    } catch {
      taggedRef = tagged;
    }
    if (
      taggedRef.toLocaleLowerCase('en-US') !==
      entityRef.toLocaleLowerCase('en-US')
    ) {
      throw new NotAllowedError(
        `Stack ${stack.stackName} belongs to ${tagged} (tag ${FORECAST_TAGS.entityRef}), not to ${entityRef}`,
      );
    }
  }

  private async describeStack(stackArn: string): Promise<StackDescription> {
    const client = await this.clients.get('cloudFormation', stackArn);
    const response = await callAws(`DescribeStacks on ${stackArn}`, () =>
      client.send(new DescribeStacksCommand({ StackName: stackArn })),
    );

    const stack = response.Stacks?.[0];
    if (!stack) {
      throw new NotFoundError(`Stack ${stackArn} does not exist`);
    }

    const parameters: Record<string, string> = {};
    for (const parameter of stack.Parameters ?? []) {
      if (parameter.ParameterKey) {
        parameters[parameter.ParameterKey] =
          parameter.ResolvedValue ?? parameter.ParameterValue ?? '';
      }
    }
    const outputs: Record<string, string> = {};
    for (const output of stack.Outputs ?? []) {
      if (output.OutputKey) {
        outputs[output.OutputKey] = output.OutputValue ?? '';
      }
    }
    const tags: Record<string, string> = {};
    for (const tag of stack.Tags ?? []) {
      if (tag.Key) {
        tags[tag.Key] = tag.Value ?? '';
      }
    }

    return {
      stackId: stack.StackId ?? stackArn,
      stackName: stack.StackName ?? '',
      status: stack.StackStatus ?? 'UNKNOWN',
      statusReason: stack.StackStatusReason,
      lastUpdated: (stack.LastUpdatedTime ?? stack.CreationTime)?.toISOString(),
      parameters,
      outputs,
      tags,
    };
  }
}

/** Finds the scope's pipeline of a key, or throws NotFoundError listing the keys. */
export function findPipeline(
  scope: WorkloadScope,
  key: string,
): ScopedPipeline {
  const pipeline = scope.pipelines.find(p => p.key === key);
  if (!pipeline) {
    const keys = scope.pipelines.map(p => p.key).join(', ') || 'none';
    throw new NotFoundError(
      `Pipeline "${key}" is not part of ${scope.entityRef}; its pipelines are: ${keys}`,
    );
  }
  return pipeline;
}

/** Finds the pipeline of a state machine ARN, or undefined when it is not the stack's. */
export function pipelineOfStateMachine(
  scope: WorkloadScope,
  stateMachineArn: string,
): ScopedPipeline | undefined {
  return scope.pipelines.find(p => p.stateMachineArn === stateMachineArn);
}
