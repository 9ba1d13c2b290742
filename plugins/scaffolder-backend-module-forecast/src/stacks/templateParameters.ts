import { InputError } from '@backstage/errors';
import { parse } from 'yaml';

/** One entry of a CloudFormation template's `Parameters` section. */
export interface TemplateParameter {
  Type?: string;
  Default?: unknown;
  AllowedValues?: unknown[];
  AllowedPattern?: string;
  ConstraintDescription?: string;
  MinLength?: number;
  MaxLength?: number;
  MinValue?: number;
  MaxValue?: number;
  NoEcho?: boolean | string;
  Description?: string;
}

/** Parameters, outputs and capabilities of a template, read before it is sent. */
export interface TemplateSummary {
  parameters: Record<string, TemplateParameter>;
  /**
   * `CAPABILITY_NAMED_IAM` when the template has IAM resources. CloudFormation
   * accepts it for IAM resources with and without fixed names, so one value
   * covers both.
   */
  capabilities: Array<'CAPABILITY_IAM' | 'CAPABILITY_NAMED_IAM'>;
  outputKeys: string[];
}

/**
 * Reads the parameters, outputs and required capabilities of a template body.
 * CloudFormation's short-form tags (`!Ref`, `!Sub`...) are read as plain
 * values, which is enough here because only the Parameters section and the
 * resource types and names are inspected.
 */
export function summarizeTemplate(templateBody: string): TemplateSummary {
  const document = parse(templateBody, { logLevel: 'silent' }) as {
    Parameters?: Record<string, TemplateParameter>;
    Resources?: Record<
      string,
      { Type?: string; Properties?: Record<string, unknown> }
    >;
    Outputs?: Record<string, unknown>;
  };

  const hasIam = Object.values(document?.Resources ?? {}).some(resource =>
    resource?.Type?.startsWith('AWS::IAM::'),
  );

  return {
    parameters: document?.Parameters ?? {},
    capabilities: hasIam ? ['CAPABILITY_NAMED_IAM'] : [],
    outputKeys: Object.keys(document?.Outputs ?? {}),
  };
}

function isNoEcho(parameter: TemplateParameter): boolean {
  return parameter.NoEcho === true || parameter.NoEcho === 'true';
}

/** Names of the parameters whose values CloudFormation masks (NoEcho). */
export function secretParameterNames(summary: TemplateSummary): string[] {
  return Object.entries(summary.parameters)
    .filter(([, parameter]) => isNoEcho(parameter))
    .map(([name]) => name);
}

function checkParameterValue(
  name: string,
  value: string,
  parameter: TemplateParameter,
): string | undefined {
  const rule = parameter.ConstraintDescription
    ? ` (${parameter.ConstraintDescription})`
    : '';
  const shown = isNoEcho(parameter) ? '***' : `"${value}"`;

  if (parameter.AllowedValues && parameter.AllowedValues.length > 0) {
    const allowed = parameter.AllowedValues.map(String);
    if (!allowed.includes(value)) {
      return `${name} ${shown} is not one of the allowed values ${allowed.join(
        ', ',
      )}${rule}`;
    }
  }
  if (parameter.AllowedPattern !== undefined) {
    // CloudFormation matches AllowedPattern against the whole value.
    const pattern = new RegExp(`^(?:${parameter.AllowedPattern})$`, 's');
    if (!pattern.test(value)) {
      return `${name} ${shown} does not match the pattern ${parameter.AllowedPattern}${rule}`;
    }
  }
  if (parameter.MinLength !== undefined && value.length < parameter.MinLength) {
    return `${name} must be at least ${parameter.MinLength} characters long${rule}`;
  }
  if (parameter.MaxLength !== undefined && value.length > parameter.MaxLength) {
    return `${name} must be at most ${parameter.MaxLength} characters long (it has ${value.length})${rule}`;
  }
  if (parameter.Type === 'Number') {
    const number = Number(value);
    if (value.trim() === '' || Number.isNaN(number)) {
      return `${name} ${shown} must be a number`;
    }
    if (parameter.MinValue !== undefined && number < parameter.MinValue) {
      return `${name} ${shown} must be at least ${parameter.MinValue}${rule}`;
    }
    if (parameter.MaxValue !== undefined && number > parameter.MaxValue) {
      return `${name} ${shown} must be at most ${parameter.MaxValue}${rule}`;
    }
  }
  return undefined;
}

/**
 * Checks parameter values against the template's declarations the way
 * CloudFormation does (AllowedValues, AllowedPattern, lengths, numbers,
 * required parameters without a default), so a bad value is rejected before
 * any AWS call. Throws an InputError listing every problem.
 */
export function validateTemplateParameters(
  templateName: string,
  summary: TemplateSummary,
  values: Record<string, string>,
): void {
  const problems: string[] = [];

  for (const name of Object.keys(values)) {
    if (!summary.parameters[name]) {
      problems.push(
        `${name} is not a parameter of the ${templateName} template (it declares ${Object.keys(
          summary.parameters,
        ).join(', ')})`,
      );
    }
  }

  for (const [name, parameter] of Object.entries(summary.parameters)) {
    const value = values[name];
    if (value === undefined) {
      if (parameter.Default === undefined) {
        problems.push(`${name} is required by the ${templateName} template`);
      }
      continue;
    }
    const problem = checkParameterValue(name, value, parameter);
    if (problem) {
      problems.push(problem);
    }
  }

  if (problems.length > 0) {
    throw new InputError(
      `Invalid parameters for the ${templateName} template: ${problems.join(
        '; ',
      )}`,
    );
  }
}

/** Parameter values as text for the task log, with NoEcho values masked. */
export function describeParameters(
  summary: TemplateSummary,
  values: Record<string, string>,
): string[] {
  return Object.entries(values).map(([name, value]) => {
    const parameter = summary.parameters[name];
    const shown = parameter && isNoEcho(parameter) ? '***' : value;
    return `${name}=${shown}`;
  });
}
