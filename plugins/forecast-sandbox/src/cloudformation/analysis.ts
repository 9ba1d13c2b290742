import { AwsServiceError } from '../core/errors';
import { intrinsicName, subVariables } from './intrinsics';
import type { ResourceProviders } from './providers/types';
import type { Template } from './template';

/** Pseudo parameters, which `Ref` and `Fn::Sub` accept anywhere. */
export const PSEUDO_PARAMETERS = [
  'AWS::AccountId',
  'AWS::Region',
  'AWS::StackName',
  'AWS::StackId',
  'AWS::Partition',
  'AWS::URLSuffix',
  'AWS::NoValue',
  'AWS::NotificationARNs',
];

const IAM_TYPES: Record<string, string | undefined> = {
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::Policy': undefined,
  'AWS::IAM::User': 'UserName',
  'AWS::IAM::Group': 'GroupName',
  'AWS::IAM::InstanceProfile': 'InstanceProfileName',
};

interface References {
  refs: string[];
  getAtts: [string, string][];
  conditions: string[];
}

function formatError(message: string): AwsServiceError {
  return new AwsServiceError(
    'ValidationError',
    `Template format error: ${message}`,
  );
}

function templateError(message: string): AwsServiceError {
  return new AwsServiceError('ValidationError', `Template error: ${message}`);
}

/** Collects the names that `value` refers to through Ref, Fn::GetAtt, Fn::Sub and Fn::If. */
export function collectReferences(
  value: unknown,
  found: References = { refs: [], getAtts: [], conditions: [] },
): References {
  const name = intrinsicName(value);
  if (name) {
    const argument = (value as Record<string, unknown>)[name];
    if (name === 'Ref' && typeof argument === 'string') {
      found.refs.push(argument);
      return found;
    }
    if (
      name === 'Fn::GetAtt' &&
      Array.isArray(argument) &&
      typeof argument[0] === 'string'
    ) {
      found.getAtts.push([
        argument[0],
        typeof argument[1] === 'string' ? argument[1] : '',
      ]);
      if (typeof argument[1] !== 'string')
        collectReferences(argument[1], found);
      return found;
    }
    if (name === 'Fn::Sub') {
      const [text, variables] = Array.isArray(argument)
        ? argument
        : [argument, {}];
      const local = Object.keys((variables ?? {}) as object);
      for (const variable of typeof text === 'string'
        ? subVariables(text)
        : []) {
        if (local.includes(variable)) continue;
        const dot = variable.indexOf('.');
        if (dot > 0 && !variable.startsWith('AWS::')) {
          found.getAtts.push([variable.slice(0, dot), variable.slice(dot + 1)]);
        } else {
          found.refs.push(variable);
        }
      }
      collectReferences(variables, found);
      return found;
    }
    if (
      (name === 'Fn::If' && Array.isArray(argument)) ||
      name === 'Condition'
    ) {
      const condition =
        name === 'Condition'
          ? argument
          : argument && (argument as unknown[])[0];
      if (typeof condition === 'string') found.conditions.push(condition);
      if (name === 'Fn::If')
        collectReferences((argument as unknown[]).slice(1), found);
      return found;
    }
    collectReferences(argument, found);
    return found;
  }
  if (Array.isArray(value)) {
    value.forEach(item => collectReferences(item, found));
  } else if (value && typeof value === 'object') {
    Object.values(value).forEach(item => collectReferences(item, found));
  }
  return found;
}

/**
 * Checks a template against the resource types and the names it declares,
 * as CloudFormation does before it starts: unknown types, references to
 * nothing, attributes a type lacks, undefined conditions, and dependency
 * cycles. Returns each resource's dependencies.
 */
export function analyseTemplate(
  template: Template,
  providers: ResourceProviders,
): Map<string, Set<string>> {
  const resources = template.Resources;
  const parameters = Object.keys(template.Parameters ?? {});
  const conditions = Object.keys(template.Conditions ?? {});

  const unknownTypes = [
    ...new Set(Object.values(resources).map(r => r.Type)),
  ].filter(type => !providers[type]);
  if (unknownTypes.length > 0) {
    throw formatError(
      `Unrecognized resource types: [${unknownTypes.join(
        ', ',
      )}]. The sandbox supports ${Object.keys(providers).sort().join(', ')}.`,
    );
  }

  for (const [name, expression] of Object.entries(template.Conditions ?? {})) {
    const references = collectReferences(expression);
    const bad = references.refs.filter(
      ref => !parameters.includes(ref) && !PSEUDO_PARAMETERS.includes(ref),
    );
    if (bad.length > 0 || references.getAtts.length > 0) {
      throw formatError(
        `Unresolved dependencies [${[
          ...bad,
          ...references.getAtts.map(g => g[0]),
        ].join(
          ', ',
        )}] in condition ${name}. Cannot reference resources in the Conditions block of the template`,
      );
    }
    checkConditionNames(references.conditions, conditions, `condition ${name}`);
  }

  const dependencies = new Map<string, Set<string>>();
  const unresolved = new Set<string>();
  for (const [logicalId, resource] of Object.entries(resources)) {
    const references = collectReferences(resource.Properties ?? {});
    const depends = new Set<string>();
    for (const ref of references.refs) {
      if (ref in resources) depends.add(ref);
      else if (!parameters.includes(ref) && !PSEUDO_PARAMETERS.includes(ref))
        unresolved.add(ref);
    }
    for (const [target, attribute] of references.getAtts) {
      checkGetAtt(
        template,
        providers,
        target,
        attribute,
        `resource ${logicalId}`,
      );
      depends.add(target);
    }
    for (const dependsOn of [resource.DependsOn ?? []].flat()) {
      if (!(dependsOn in resources)) {
        throw formatError(
          `Unresolved resource dependencies [${dependsOn}] in the Resources block of the template (DependsOn of ${logicalId})`,
        );
      }
      depends.add(dependsOn);
    }
    if (resource.Condition !== undefined) {
      checkConditionNames(
        [resource.Condition],
        conditions,
        `resource ${logicalId}`,
      );
    }
    checkConditionNames(
      references.conditions,
      conditions,
      `resource ${logicalId}`,
    );
    dependencies.set(logicalId, depends);
  }
  if (unresolved.size > 0) {
    throw formatError(
      `Unresolved resource dependencies [${[...unresolved].join(
        ', ',
      )}] in the Resources block of the template. Each Ref must name a parameter, a resource or a pseudo parameter.`,
    );
  }

  for (const [key, output] of Object.entries(template.Outputs ?? {})) {
    const references = collectReferences([output.Value, output.Export?.Name]);
    const bad = references.refs.filter(
      ref =>
        !(ref in resources) &&
        !parameters.includes(ref) &&
        !PSEUDO_PARAMETERS.includes(ref),
    );
    if (bad.length > 0) {
      throw formatError(
        `Unresolved resource dependencies [${bad.join(
          ', ',
        )}] in the Outputs block of the template (output ${key})`,
      );
    }
    for (const [target, attribute] of references.getAtts) {
      checkGetAtt(template, providers, target, attribute, `output ${key}`);
    }
    if (output.Condition !== undefined) {
      checkConditionNames([output.Condition], conditions, `output ${key}`);
    }
    checkConditionNames(references.conditions, conditions, `output ${key}`);
  }

  orderResources(Object.keys(resources), dependencies);
  return dependencies;
}

function checkConditionNames(
  used: string[],
  declared: string[],
  where: string,
): void {
  for (const condition of used) {
    if (!declared.includes(condition)) {
      throw templateError(
        `unresolved condition dependency ${condition} in ${where}. Declare it under Conditions.`,
      );
    }
  }
}

function checkGetAtt(
  template: Template,
  providers: ResourceProviders,
  target: string,
  attribute: string,
  where: string,
): void {
  const resource = template.Resources[target];
  if (!resource) {
    throw templateError(
      `instance of Fn::GetAtt references undefined resource ${target} in ${where}`,
    );
  }
  const supported = providers[resource.Type].attributes;
  if (attribute && !supported.includes(attribute)) {
    throw templateError(
      `resource ${target} does not support attribute type ${attribute} in Fn::GetAtt (${
        resource.Type
      } has ${supported.join(', ') || 'no attributes'})`,
    );
  }
}

/** Orders `ids` so that each comes after its dependencies; raises on a cycle. */
export function orderResources(
  ids: string[],
  dependencies: Map<string, Set<string>>,
): string[] {
  const ordered: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const included = new Set(ids);

  const visit = (id: string, path: string[]) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      throw formatError(
        `Circular dependency between resources: [${path
          .slice(path.indexOf(id))
          .join(', ')}]`,
      );
    }
    state.set(id, 'visiting');
    for (const dependency of dependencies.get(id) ?? []) {
      if (included.has(dependency)) visit(dependency, [...path, dependency]);
    }
    state.set(id, 'done');
    ordered.push(id);
  };
  for (const id of ids) visit(id, [id]);
  return ordered;
}

/** The capability an IAM resource needs: CAPABILITY_NAMED_IAM when it sets a name. */
export function requiredCapability(
  template: Template,
): 'CAPABILITY_IAM' | 'CAPABILITY_NAMED_IAM' | undefined {
  let required: 'CAPABILITY_IAM' | 'CAPABILITY_NAMED_IAM' | undefined;
  for (const resource of Object.values(template.Resources)) {
    if (!(resource.Type in IAM_TYPES)) continue;
    const nameProperty = IAM_TYPES[resource.Type];
    if (nameProperty && resource.Properties?.[nameProperty] !== undefined) {
      return 'CAPABILITY_NAMED_IAM';
    }
    required = 'CAPABILITY_IAM';
  }
  return required;
}
