import type { Stack } from '@aws-sdk/client-cloudformation';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  parseEntityRef,
} from '@backstage/catalog-model';
import {
  FORECAST_STACK_ARN_ANNOTATION,
  FORECAST_STACK_ROLE_ANNOTATION,
  FORECAST_TAGS,
  ForecastStackRole,
} from '@forecast-pipelines/plugin-forecast-common';

/** Catalog entity names: at most 63 characters of letters, digits and `-_.`, starting and ending alphanumerically. */
const ENTITY_NAME_PATTERN = /^[a-zA-Z0-9]([-_.]?[a-zA-Z0-9])*$/;

const ROLE_KINDS: Record<ForecastStackRole, string> = {
  workload: 'Component',
  dependency: 'Resource',
};

/** A tagged stack left out of the catalog, with the reason. */
export interface SkippedStack {
  stackName: string;
  reason: string;
}

/** Returns the tags of a stack as a map. */
export function stackTags(stack: Stack): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const tag of stack.Tags ?? []) {
    if (tag.Key) {
      tags[tag.Key] = tag.Value ?? '';
    }
  }
  return tags;
}

/** Returns the stack's role from its `forecast-pipelines:role` tag, or undefined for other stacks. */
export function stackRole(stack: Stack): ForecastStackRole | undefined {
  const role = stackTags(stack)[FORECAST_TAGS.role];
  return role === 'workload' || role === 'dependency' ? role : undefined;
}

/**
 * Whether a stack's resources exist and can be shown. Stacks still being
 * created, rolled back after a failed creation, or being deleted are left
 * out. A stack in an update, or whose update was rolled back, stays usable.
 */
export function isUsableStackStatus(status: string | undefined): boolean {
  if (!status) {
    return false;
  }
  if (status.startsWith('DELETE_') || status.startsWith('ROLLBACK_')) {
    return false;
  }
  return status !== 'CREATE_IN_PROGRESS' && status !== 'CREATE_FAILED';
}

/** Returns the AWS console page of a stack. */
export function stackConsoleUrl(region: string, stackId: string): string {
  return `https://${region}.console.aws.amazon.com/cloudformation/home?region=${region}#/stacks/stackinfo?stackId=${encodeURIComponent(
    stackId,
  )}`;
}

function parameterValue(stack: Stack, key: string): string | undefined {
  return stack.Parameters?.find(p => p.ParameterKey === key)?.ParameterValue;
}

/**
 * Turns a tagged stack into its catalog entity: a Component of type
 * `forecast-workload` for a workload, a Resource of type
 * `forecast-dependency-stack` for a dependency stack. Returns the reason
 * instead when the stack cannot become an entity.
 */
export function stackToEntity(
  stack: Stack,
  options: { region: string; defaultOwner: string },
): Entity | SkippedStack {
  const stackName = stack.StackName ?? '';
  const role = stackRole(stack);
  if (!role || !stack.StackId) {
    return { stackName, reason: 'it has no forecast-pipelines:role tag' };
  }
  const tags = stackTags(stack);
  const kind = ROLE_KINDS[role];

  let name =
    role === 'workload' ? stackName.replace(/^forecast-/, '') : stackName;
  let namespace = 'default';
  const taggedRef = tags[FORECAST_TAGS.entityRef];
  if (taggedRef) {
    try {
      const ref = parseEntityRef(taggedRef, {
        defaultKind: kind,
        defaultNamespace: 'default',
      });
      name = ref.name;
      namespace = ref.namespace;
    } catch (error) {
      return {
        stackName,
        reason: `its ${
          FORECAST_TAGS.entityRef
        } tag "${taggedRef}" is not an entity ref (${
          (error as Error).message
        })`,
      };
    }
  }
  if (name.length > 63 || !ENTITY_NAME_PATTERN.test(name)) {
    return {
      stackName,
      reason: `"${name}" is not a valid entity name (1 to 63 letters, digits, hyphens, underscores or dots)`,
    };
  }

  const consoleUrl = stackConsoleUrl(options.region, stack.StackId);
  const location = `url:${consoleUrl}`;
  const owner = tags[FORECAST_TAGS.owner] || options.defaultOwner;

  const spec: NonNullable<Entity['spec']> =
    role === 'workload'
      ? { type: 'forecast-workload', lifecycle: 'production', owner }
      : { type: 'forecast-dependency-stack', owner };
  const dependencyStackName = parameterValue(stack, 'DependencyStackName');
  if (
    role === 'workload' &&
    dependencyStackName &&
    ENTITY_NAME_PATTERN.test(dependencyStackName)
  ) {
    spec.dependsOn = [`resource:default/${dependencyStackName}`];
  }

  const metadata: Entity['metadata'] = {
    name,
    namespace,
    annotations: {
      [ANNOTATION_LOCATION]: location,
      [ANNOTATION_ORIGIN_LOCATION]: location,
      [FORECAST_STACK_ARN_ANNOTATION]: stack.StackId,
      [FORECAST_STACK_ROLE_ANNOTATION]: role,
    },
    tags: ['amazon-forecast'],
    links: [{ url: consoleUrl, title: 'CloudFormation stack', icon: 'cloud' }],
  };
  if (tags[FORECAST_TAGS.title]) {
    metadata.title = tags[FORECAST_TAGS.title];
  }
  const description = tags[FORECAST_TAGS.description] || stack.Description;
  if (description) {
    metadata.description = description;
  }

  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata,
    spec,
  };
}

export function isSkippedStack(
  value: Entity | SkippedStack,
): value is SkippedStack {
  return 'reason' in value;
}
