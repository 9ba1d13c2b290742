import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
import type { Template } from './template';

type SpecDatabase = ReturnType<typeof loadAwsServiceSpecSync>;
type PropertyType = {
  type: string;
  reference?: { $ref: string };
  element?: PropertyType;
  types?: PropertyType[];
};
type Property = { required?: boolean; type: PropertyType };

let database: SpecDatabase | undefined;

function spec(): SpecDatabase {
  database ??= loadAwsServiceSpecSync();
  return database;
}

const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

const isIntrinsic = (value: unknown) =>
  value !== null &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  Object.keys(value).length === 1 &&
  /^(Ref|Condition|Fn::.+)$/.test(Object.keys(value)[0]);

/**
 * Checks a template against the CloudFormation resource specification of
 * @aws-cdk/aws-service-spec: unknown resource types, unknown properties (also
 * inside nested property types), missing required properties, Ref and Sub
 * variables that name nothing, GetAtt attributes the type does not have, and
 * conditions that are not defined. Returns one message per problem.
 */
export function checkTemplateAgainstSpec(template: Template): string[] {
  const db = spec();
  const problems: string[] = [];
  const parameters = new Set(Object.keys(template.Parameters ?? {}));
  const resources = template.Resources;
  const conditions = new Set(Object.keys(template.Conditions ?? {}));

  const resourceSpec = (type: string) =>
    db.lookup('resource', 'cloudFormationType', 'equals', type).only();

  const checkRef = (where: string, name: string) => {
    if (
      !parameters.has(name) &&
      !(name in resources) &&
      !PSEUDO_PARAMETERS.has(name)
    ) {
      problems.push(
        `${where}: Ref ${name} names no parameter, resource or pseudo parameter`,
      );
    }
  };

  const checkGetAtt = (where: string, resource: string, attribute: string) => {
    const target = resources[resource];
    if (!target) {
      problems.push(
        `${where}: GetAtt ${resource}.${attribute} names no resource`,
      );
      return;
    }
    const attributes = Object.keys(resourceSpec(target.Type).attributes ?? {});
    if (!attributes.includes(attribute)) {
      problems.push(
        `${where}: GetAtt ${resource}.${attribute}: ${
          target.Type
        } has only ${attributes.join(', ')}`,
      );
    }
  };

  const checkIntrinsics = (where: string, node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach((item, index) =>
        checkIntrinsics(`${where}[${index}]`, item),
      );
      return;
    }
    if (node === null || typeof node !== 'object') {
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === 'Ref') {
        checkRef(where, value as string);
      } else if (key === 'Fn::GetAtt') {
        const [resource, attribute] = value as string[];
        checkGetAtt(where, resource, attribute);
      } else if (
        key === 'Fn::If' ||
        (key === 'Condition' && typeof value === 'string')
      ) {
        const name =
          key === 'Fn::If' ? (value as string[])[0] : (value as string);
        if (!conditions.has(name)) {
          problems.push(`${where}: condition ${name} is not defined`);
        }
      } else if (key === 'Fn::Sub') {
        const [text, variables] = Array.isArray(value) ? value : [value, {}];
        for (const [, literal, variable] of (text as string).matchAll(
          /\$\{(!?)([^}]+)\}/g,
        )) {
          if (literal || variable in (variables as object)) continue;
          if (variable.includes('.') && !variable.startsWith('AWS::')) {
            const [resource, attribute] = variable.split('.');
            checkGetAtt(where, resource, attribute);
          } else {
            checkRef(where, variable);
          }
        }
      }
      checkIntrinsics(`${where}.${key}`, value);
    }
  };

  function checkProperties(
    where: string,
    values: unknown,
    properties: Record<string, Property>,
  ) {
    if (isIntrinsic(values) || values === null || typeof values !== 'object') {
      return;
    }
    for (const [name, property] of Object.entries(properties)) {
      if (property.required && !(name in (values as object))) {
        problems.push(`${where}: required property ${name} is missing`);
      }
    }
    for (const [name, value] of Object.entries(values as object)) {
      const property = properties[name];
      if (!property) {
        problems.push(`${where}: unknown property ${name}`);
        continue;
      }
      checkValue(`${where}.${name}`, value, property.type);
    }
  }

  function checkValue(where: string, value: unknown, type: PropertyType) {
    if (isIntrinsic(value)) {
      return;
    }
    if (type.type === 'ref' && type.reference) {
      const definition = db.get('typeDefinition', type.reference.$ref) as {
        properties: Record<string, Property>;
      };
      checkProperties(where, value, definition.properties);
    } else if (type.type === 'array' && type.element && Array.isArray(value)) {
      value.forEach((item, index) =>
        checkValue(`${where}[${index}]`, item, type.element!),
      );
    } else if (
      type.type === 'map' &&
      type.element &&
      value &&
      typeof value === 'object'
    ) {
      for (const [key, item] of Object.entries(value)) {
        checkValue(`${where}.${key}`, item, type.element);
      }
    }
  }

  for (const [id, resource] of Object.entries(resources)) {
    const found = db.lookup(
      'resource',
      'cloudFormationType',
      'equals',
      resource.Type,
    );
    if (found.length !== 1) {
      problems.push(`${id}: unknown resource type ${resource.Type}`);
      continue;
    }
    if (resource.Condition && !conditions.has(resource.Condition)) {
      problems.push(`${id}: condition ${resource.Condition} is not defined`);
    }
    const properties = found.only().properties as Record<string, Property>;
    checkProperties(id, resource.Properties ?? {}, properties);
    checkIntrinsics(id, resource.Properties ?? {});
    for (const dependency of [resource.DependsOn ?? []].flat()) {
      if (!(dependency in resources)) {
        problems.push(`${id}: DependsOn ${dependency} names no resource`);
      }
    }
  }
  for (const [id, output] of Object.entries(template.Outputs ?? {})) {
    checkIntrinsics(`Outputs.${id}`, output);
  }
  checkIntrinsics('Conditions', template.Conditions ?? {});
  return problems;
}
