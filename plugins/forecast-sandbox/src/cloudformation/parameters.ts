import { AwsServiceError } from '../core/errors';
import type { ParameterDeclaration, Template } from './template';

/** A parameter value as the request gives it. */
export interface GivenParameter {
  key: string;
  value?: string;
  usePreviousValue?: boolean;
}

/** A parameter value a stack was deployed with. */
export interface StackParameter {
  key: string;
  value: string;
  noEcho: boolean;
  /** For `AWS::SSM::Parameter::Value<...>` parameters, the value read from SSM. */
  resolvedValue?: string;
}

const SSM_TYPE = /^AWS::SSM::Parameter::Value<(.+)>$/;
const SUPPORTED_TYPES = [
  'String',
  'Number',
  'CommaDelimitedList',
  'List<Number>',
  'List<String>',
];

function validationError(message: string): AwsServiceError {
  return new AwsServiceError('ValidationError', message);
}

function constraintError(
  name: string,
  declaration: ParameterDeclaration,
  rule: string,
): AwsServiceError {
  if (declaration.ConstraintDescription) {
    return validationError(
      `Parameter '${name}' failed to satisfy constraint: ${declaration.ConstraintDescription} (${rule})`,
    );
  }
  return validationError(`Parameter '${name}' ${rule}`);
}

function checkConstraints(
  name: string,
  declaration: ParameterDeclaration,
  value: string,
): void {
  const type = declaration.Type ?? 'String';
  if (
    !SUPPORTED_TYPES.includes(type) &&
    !SSM_TYPE.test(type) &&
    !type.startsWith('AWS::')
  ) {
    throw validationError(
      `Template format error: Unrecognized parameter type: ${type} for parameter ${name}. Use String, Number, CommaDelimitedList or List<Number>.`,
    );
  }
  const items = type.includes('List')
    ? value.split(',').map(v => v.trim())
    : [value];

  for (const item of items) {
    if (
      (type === 'Number' || type === 'List<Number>') &&
      (item === '' || Number.isNaN(Number(item)))
    ) {
      throw constraintError(
        name,
        declaration,
        `must be a number; '${item}' is not`,
      );
    }
    if (
      declaration.AllowedValues &&
      !declaration.AllowedValues.map(String).includes(item)
    ) {
      throw constraintError(
        name,
        declaration,
        `must be one of AllowedValues: ${declaration.AllowedValues.map(
          String,
        ).join(', ')} (got '${item}')`,
      );
    }
  }
  if (declaration.AllowedPattern !== undefined) {
    const pattern = new RegExp(`^(?:${declaration.AllowedPattern})$`);
    for (const item of items) {
      if (!pattern.test(item)) {
        throw constraintError(
          name,
          declaration,
          `must match pattern ${declaration.AllowedPattern} (got '${item}')`,
        );
      }
    }
  }
  if (
    declaration.MinLength !== undefined &&
    value.length < Number(declaration.MinLength)
  ) {
    throw constraintError(
      name,
      declaration,
      `must contain at least ${declaration.MinLength} characters (got ${value.length})`,
    );
  }
  if (
    declaration.MaxLength !== undefined &&
    value.length > Number(declaration.MaxLength)
  ) {
    throw constraintError(
      name,
      declaration,
      `must contain at most ${declaration.MaxLength} characters (got ${value.length})`,
    );
  }
  if (
    declaration.MinValue !== undefined &&
    Number(value) < Number(declaration.MinValue)
  ) {
    throw constraintError(
      name,
      declaration,
      `must be a number not less than ${declaration.MinValue} (got ${value})`,
    );
  }
  if (
    declaration.MaxValue !== undefined &&
    Number(value) > Number(declaration.MaxValue)
  ) {
    throw constraintError(
      name,
      declaration,
      `must be a number not greater than ${declaration.MaxValue} (got ${value})`,
    );
  }
}

/**
 * Combines the request's parameters with the template's declarations:
 * defaults fill the gaps, `UsePreviousValue` takes the deployed value, and
 * each value is checked against its type, AllowedValues, AllowedPattern and
 * length and value limits. Raises ValidationError naming the parameter.
 */
export function resolveParameters(
  template: Template,
  given: GivenParameter[],
  previous: StackParameter[] = [],
  readSsmParameter?: (name: string) => string,
): StackParameter[] {
  const declarations = template.Parameters ?? {};
  const unknown = given.filter(p => !(p.key in declarations)).map(p => p.key);
  if (unknown.length > 0) {
    throw validationError(
      `Parameters: [${unknown.join(', ')}] do not exist in the template`,
    );
  }

  const missing: string[] = [];
  const resolved: StackParameter[] = [];
  for (const [name, declaration] of Object.entries(declarations)) {
    const request = given.find(p => p.key === name);
    let value: string | undefined;
    if (request?.usePreviousValue) {
      value = previous.find(p => p.key === name)?.value;
      if (value === undefined) {
        throw validationError(
          `Parameter '${name}' has UsePreviousValue, but the stack has no previous value for it. Give a ParameterValue instead.`,
        );
      }
    } else if (request?.value !== undefined) {
      value = request.value;
    } else if (declaration.Default !== undefined) {
      value = Array.isArray(declaration.Default)
        ? declaration.Default.join(',')
        : String(declaration.Default);
    }
    if (value === undefined) {
      missing.push(name);
      continue;
    }

    checkConstraints(name, declaration, value);
    const parameter: StackParameter = {
      key: name,
      value,
      noEcho: String(declaration.NoEcho) === 'true',
    };
    if (SSM_TYPE.test(declaration.Type) && readSsmParameter) {
      parameter.resolvedValue = readSsmParameter(value);
    }
    resolved.push(parameter);
  }

  if (missing.length > 0) {
    throw validationError(
      `Parameters: [${missing.join(', ')}] must have values`,
    );
  }
  return resolved;
}

/** The value `Ref` gives for each parameter: a list for list types. */
export function parameterReferences(
  template: Template,
  parameters: StackParameter[],
): Record<string, string | string[]> {
  const references: Record<string, string | string[]> = {};
  for (const parameter of parameters) {
    const type = template.Parameters?.[parameter.key]?.Type ?? 'String';
    const value = parameter.resolvedValue ?? parameter.value;
    if (!type.includes('List')) {
      references[parameter.key] = value;
    } else {
      references[parameter.key] =
        value === '' ? [] : value.split(',').map(v => v.trim());
    }
  }
  return references;
}
