import YAML, { isMap, isScalar, isSeq, type Node } from 'yaml';
import { AwsServiceError } from '../core/errors';

/** A template parameter declaration. */
export interface ParameterDeclaration {
  Type: string;
  Default?: unknown;
  AllowedValues?: unknown[];
  AllowedPattern?: string;
  ConstraintDescription?: string;
  Description?: string;
  MinLength?: number;
  MaxLength?: number;
  MinValue?: number;
  MaxValue?: number;
  NoEcho?: boolean | string;
}

/** A template resource declaration. */
export interface ResourceDeclaration {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  Condition?: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Metadata?: unknown;
}

/** A template output declaration. */
export interface OutputDeclaration {
  Value: unknown;
  Description?: string;
  Condition?: string;
  Export?: { Name: unknown };
}

/** A parsed CloudFormation template, with short-form tags turned into `Fn::` objects. */
export interface Template {
  AWSTemplateFormatVersion?: string;
  Description?: string;
  Metadata?: unknown;
  Parameters?: Record<string, ParameterDeclaration>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Conditions?: Record<string, unknown>;
  Transform?: unknown;
  Resources: Record<string, ResourceDeclaration>;
  Outputs?: Record<string, OutputDeclaration>;
}

const SHORT_FORMS = [
  'Ref',
  'Condition',
  'Sub',
  'GetAtt',
  'Join',
  'If',
  'Equals',
  'Not',
  'And',
  'Or',
  'ImportValue',
  'Select',
  'Split',
  'FindInMap',
  'Base64',
  'GetAZs',
  'Cidr',
];

// Each tag is declared for scalars, sequences and maps, and keeps the node
// as it is; toPlain() below turns tagged nodes into their long form.
const CUSTOM_TAGS = SHORT_FORMS.flatMap(name => [
  { tag: `!${name}`, resolve: (value: unknown) => value },
  {
    tag: `!${name}`,
    collection: 'seq' as const,
    resolve: (value: unknown) => value,
  },
  {
    tag: `!${name}`,
    collection: 'map' as const,
    resolve: (value: unknown) => value,
  },
]);

const TOP_LEVEL_KEYS = new Set([
  'AWSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Mappings',
  'Conditions',
  'Transform',
  'Resources',
  'Outputs',
  'Rules',
]);

function formatError(message: string): AwsServiceError {
  return new AwsServiceError(
    'ValidationError',
    `Template format error: ${message}`,
  );
}

function toPlain(node: unknown): unknown {
  let value: unknown;
  if (isMap(node)) {
    const object: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key)
        ? String(pair.key.value)
        : String(pair.key);
      object[key] = toPlain(pair.value);
    }
    value = object;
  } else if (isSeq(node)) {
    value = node.items.map(toPlain);
  } else if (isScalar(node)) {
    value = node.value;
  } else {
    value = node ?? null;
  }

  const tag = (node as Node | undefined)?.tag;
  if (!tag || !tag.startsWith('!') || tag.startsWith('!!')) {
    return value;
  }
  const name = tag.slice(1);
  if (name === 'Ref' || name === 'Condition') {
    return { [name]: value };
  }
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
}

/**
 * Parses a JSON or YAML template body, with the short-form tags (`!Ref`,
 * `!Sub`, ...) CloudFormation accepts. Raises ValidationError
 * "Template format error: ..." when the body is not a template.
 */
export function parseTemplate(body: string): Template {
  const document = YAML.parseDocument(body, {
    customTags: CUSTOM_TAGS,
    uniqueKeys: true,
  });
  const problems = [...document.errors, ...document.warnings];
  if (problems.length > 0) {
    const first = problems[0];
    throw formatError(
      `${first.code === 'TAG_RESOLVE_FAILED' ? 'unsupported YAML tag. ' : ''}${
        first.message.split('\n')[0]
      }`,
    );
  }

  const template = toPlain(document.contents) as Template;
  if (!template || typeof template !== 'object' || Array.isArray(template)) {
    throw formatError('the template is not a JSON or YAML object');
  }
  for (const key of Object.keys(template)) {
    if (!TOP_LEVEL_KEYS.has(key)) {
      throw formatError(`Invalid template property or properties [${key}]`);
    }
  }
  if (template.Transform !== undefined) {
    throw formatError(
      `Transform ${JSON.stringify(
        template.Transform,
      )} is not supported by the sandbox; expand the template first`,
    );
  }
  if (
    !template.Resources ||
    typeof template.Resources !== 'object' ||
    Object.keys(template.Resources).length === 0
  ) {
    throw formatError('At least one Resources member must be defined.');
  }
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (!/^[A-Za-z0-9]+$/.test(logicalId)) {
      throw formatError(`Resource name ${logicalId} is non alphanumeric.`);
    }
    if (
      !resource ||
      typeof resource !== 'object' ||
      typeof resource.Type !== 'string'
    ) {
      throw formatError(
        `[/Resources/${logicalId}] Every Resources object must contain a Type member.`,
      );
    }
  }
  return template;
}
