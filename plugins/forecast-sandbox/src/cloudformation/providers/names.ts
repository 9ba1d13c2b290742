import { randomBytes } from 'node:crypto';
import { AwsServiceError } from '../../core/errors';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randomSuffix(length = 12): string {
  const bytes = randomBytes(length);
  return [...bytes].map(b => ALPHABET[b % ALPHABET.length]).join('');
}

/**
 * A generated physical name as CloudFormation makes them when a template
 * gives none: `<stack>-<logical id>-<random>`, shortened to `maxLength`.
 */
export function generatedName(
  stackName: string,
  logicalId: string,
  maxLength: number,
  options: { lowercase?: boolean } = {},
): string {
  const suffix = randomSuffix();
  const room = maxLength - suffix.length - 2;
  const stackPart = stackName.slice(0, Math.ceil(room / 2));
  const logicalPart = logicalId.slice(0, room - stackPart.length);
  const name = `${stackPart}-${logicalPart}-${suffix}`;
  return options.lowercase ? name.toLowerCase() : name;
}

/** Reads a required string property or raises the error CloudFormation reports for it. */
export function requireString(
  properties: Record<string, unknown>,
  name: string,
  type: string,
): string {
  const value = properties[name];
  if (typeof value !== 'string' || value === '') {
    throw new AwsServiceError(
      'ValidationError',
      `Property validation failure: [The property ${name} of ${type} is required and must be a non-empty string]`,
    );
  }
  return value;
}

/** Reads an optional string property. */
export function optionalString(
  properties: Record<string, unknown>,
  name: string,
): string | undefined {
  const value = properties[name];
  return value === undefined || value === null ? undefined : String(value);
}
