import NodeEvaluator from 'cfn-resolver-lib';
import YAML from 'yaml';
import { ForecastTemplateName, readTemplateBody } from '../index';

/** A CloudFormation template as plain JSON, intrinsic functions in long form. */
export type Template = {
  Parameters?: Record<string, TemplateParameter>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, TemplateResource>;
  Outputs?: Record<string, TemplateOutput>;
};

export type TemplateParameter = {
  Type: string;
  Default?: string;
  AllowedPattern?: string;
  AllowedValues?: string[];
  ConstraintDescription?: string;
  Description?: string;
  MinLength?: number;
  MaxLength?: number;
};

export type TemplateResource = {
  Type: string;
  Condition?: string;
  DependsOn?: string | string[];
  Properties?: Record<string, unknown>;
};

export type TemplateOutput = {
  Value: unknown;
  Condition?: string;
  Export?: { Name: unknown };
};

const INTRINSICS = [
  'Ref',
  'Condition',
  'Sub',
  'GetAtt',
  'ImportValue',
  'If',
  'Equals',
  'Not',
  'And',
  'Or',
  'Join',
  'Select',
  'Split',
  'FindInMap',
  'Base64',
  'GetAZs',
  'Cidr',
];

function longName(name: string): string {
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

// The short forms (!Ref, !Sub ...) as YAML tags, for scalars, sequences and maps.
const customTags: YAML.Tags = INTRINSICS.flatMap(name => [
  {
    tag: `!${name}`,
    resolve: (value: string) => ({
      [longName(name)]: name === 'GetAtt' ? value.split('.') : value,
    }),
  },
  {
    tag: `!${name}`,
    collection: 'seq' as const,
    resolve: (seq: YAML.YAMLMap | YAML.YAMLSeq) => ({
      [longName(name)]: seq.toJSON(),
    }),
  },
  {
    tag: `!${name}`,
    collection: 'map' as const,
    resolve: (map: YAML.YAMLMap | YAML.YAMLSeq) => ({
      [longName(name)]: map.toJSON(),
    }),
  },
]);

/** Parses a template of this package with the CloudFormation YAML tags. */
export function loadTemplate(name: ForecastTemplateName): Template {
  return YAML.parse(readTemplateBody(name), { customTags }) as Template;
}

/** Values that stand in for a deployed stack when resolving a template. */
export type StackValues = {
  stackName: string;
  accountId: string;
  region: string;
  parameters: Record<string, string>;
  /** Values of Fn::ImportValue, by export name. */
  exports?: Record<string, string>;
  /** Values of Ref to resources, by logical ID. */
  resourceRefs?: Record<string, string>;
  /** Values of Fn::GetAtt, by logical ID and attribute. */
  resourceAttributes?: Record<string, Record<string, string>>;
};

const SUB_VARIABLE = /\$\{(!?)([^}]+)\}/g;

/**
 * Rewrites Fn::Sub into the equivalent Fn::Join, and resolves Fn::ImportValue
 * from `exports`, because cfn-resolver-lib 1.1.8 substitutes only the
 * variables of a Sub map and leaves an imported name unevaluated.
 */
function expandSubs(node: unknown, values: StackValues): unknown {
  if (Array.isArray(node)) {
    return node.map(item => expandSubs(item, values));
  }
  if (node === null || typeof node !== 'object') {
    return node;
  }
  const object = node as Record<string, unknown>;

  if ('Fn::ImportValue' in object) {
    const exportName = resolveScalar(
      expandSubs(object['Fn::ImportValue'], values),
      values,
    );
    const value = values.exports?.[exportName];
    if (value === undefined) {
      throw new Error(`No sample value for the export ${exportName}`);
    }
    return value;
  }

  if ('Fn::Sub' in object) {
    const sub = object['Fn::Sub'];
    const [text, variables] = Array.isArray(sub)
      ? [sub[0] as string, sub[1] as Record<string, unknown>]
      : [sub as string, {}];
    const parts: unknown[] = [];
    let last = 0;
    for (const match of text.matchAll(SUB_VARIABLE)) {
      parts.push(text.slice(last, match.index));
      last = match.index! + match[0].length;
      const [, literal, variable] = match;
      if (literal) {
        parts.push(`\${${variable}}`);
      } else if (variable in variables) {
        parts.push(expandSubs(variables[variable], values));
      } else if (variable.includes('.') && !variable.startsWith('AWS::')) {
        const [resource, attribute] = variable.split('.');
        parts.push({ 'Fn::GetAtt': [resource, attribute] });
      } else {
        parts.push({ Ref: variable });
      }
    }
    parts.push(text.slice(last));
    return { 'Fn::Join': ['', parts] };
  }

  return Object.fromEntries(
    Object.entries(object).map(([key, value]) => [
      key,
      expandSubs(value, values),
    ]),
  );
}

function resolveScalar(node: unknown, values: StackValues): string {
  const resolved = new NodeEvaluator(
    { Parameters: {}, Wrapped: node },
    { RefResolvers: refResolvers(values) },
  ).evaluateNodes() as { Wrapped: unknown };
  if (typeof resolved.Wrapped !== 'string') {
    throw new Error(`Expected a string, got ${JSON.stringify(resolved)}`);
  }
  return resolved.Wrapped;
}

function refResolvers(values: StackValues): Record<string, string> {
  return {
    'AWS::StackName': values.stackName,
    'AWS::StackId': `arn:aws:cloudformation:${values.region}:${values.accountId}:stack/${values.stackName}/00000000-0000-0000-0000-000000000000`,
    'AWS::AccountId': values.accountId,
    'AWS::Region': values.region,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    ...values.parameters,
    ...values.resourceRefs,
  };
}

/**
 * Resolves a template for the given stack values with cfn-resolver-lib:
 * parameters (defaults applied), pseudo parameters, conditions, Sub, Join,
 * If, Ref and GetAtt. Resources whose condition is false stay listed.
 */
export function resolveTemplate(
  template: Template,
  values: StackValues,
): Template {
  const expanded = expandSubs(template, values) as Template;
  const defaults = Object.fromEntries(
    Object.entries(template.Parameters ?? {})
      .filter(([, parameter]) => parameter.Default !== undefined)
      .map(([name, parameter]) => [name, parameter.Default as string]),
  );
  return new NodeEvaluator(expanded, {
    RefResolvers: refResolvers({
      ...values,
      parameters: { ...defaults, ...values.parameters },
    }),
    'Fn::GetAttResolvers': values.resourceAttributes ?? {},
  }).evaluateNodes() as Template;
}

/** Evaluates the template's conditions for the given stack values. */
export function evaluateConditions(
  template: Template,
  values: StackValues,
): Record<string, boolean> {
  const names = Object.keys(template.Conditions ?? {});
  const probe: Template = {
    ...template,
    Outputs: Object.fromEntries(
      names.map(name => [
        name,
        { Value: { 'Fn::If': [name, 'true', 'false'] } },
      ]),
    ),
  };
  const resolved = resolveTemplate(probe, values);
  return Object.fromEntries(
    names.map(name => [name, resolved.Outputs![name].Value === 'true']),
  );
}
