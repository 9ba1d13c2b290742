import { checkForecastName } from '@forecast-pipelines/plugin-forecast-common';

/** One column of an Amazon Forecast dataset schema. */
export interface SchemaAttribute {
  AttributeName: string;
  AttributeType: string;
}

/** A schema as the form gives it: JSON text, an attribute list, or `{Attributes}`. */
export type SchemaInput =
  | string
  | SchemaAttribute[]
  | { Attributes: SchemaAttribute[] };

/**
 * The CUSTOM domain's target time series in the column order of the sample
 * data: `timestamp,target_value,item_id`.
 */
export const DEFAULT_TARGET_SCHEMA: SchemaAttribute[] = [
  { AttributeName: 'timestamp', AttributeType: 'timestamp' },
  { AttributeName: 'target_value', AttributeType: 'float' },
  { AttributeName: 'item_id', AttributeType: 'string' },
];

export const ATTRIBUTE_TYPES = [
  'string',
  'integer',
  'float',
  'timestamp',
  'geolocation',
] as const;

/** Identifier and target field each Forecast domain requires in the target time series. */
export const DOMAIN_FIELDS: Record<string, { id: string; target: string }> = {
  CUSTOM: { id: 'item_id', target: 'target_value' },
  RETAIL: { id: 'item_id', target: 'demand' },
  INVENTORY_PLANNING: { id: 'item_id', target: 'demand' },
  EC2_CAPACITY: { id: 'instance_type', target: 'number_of_instances' },
  WORK_FORCE: { id: 'workforce_type', target: 'workforce_demand' },
  WEB_TRAFFIC: { id: 'item_id', target: 'value' },
  METRICS: { id: 'metric_name', target: 'metric_value' },
};

/**
 * Turns a schema input into an attribute list, collecting problems under the
 * given field name instead of throwing.
 */
export function readSchema(
  field: string,
  input: SchemaInput | undefined,
  problems: string[],
): SchemaAttribute[] {
  if (input === undefined || input === '') {
    problems.push(`${field} is missing: give the dataset's columns`);
    return [];
  }

  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      problems.push(
        `${field} is not valid JSON (${
          (error as Error).message
        }): expected {"Attributes":[{"AttributeName":"timestamp","AttributeType":"timestamp"}, ...]}`,
      );
      return [];
    }
  }

  const attributes = Array.isArray(value)
    ? value
    : (value as { Attributes?: unknown })?.Attributes;
  if (!Array.isArray(attributes) || attributes.length === 0) {
    problems.push(
      `${field} must be a non-empty attribute list or an object {"Attributes":[...]}`,
    );
    return [];
  }

  const result: SchemaAttribute[] = [];
  const seen = new Set<string>();
  attributes.forEach((attribute: unknown, index: number) => {
    const name = (attribute as SchemaAttribute)?.AttributeName;
    const type = (attribute as SchemaAttribute)?.AttributeType;
    if (typeof name !== 'string' || typeof type !== 'string') {
      problems.push(
        `${field} column ${
          index + 1
        } needs a string AttributeName and AttributeType`,
      );
      return;
    }
    const nameProblem = checkForecastName(`${field} column name`, name);
    if (nameProblem) {
      problems.push(nameProblem.message);
    }
    if (!(ATTRIBUTE_TYPES as readonly string[]).includes(type)) {
      problems.push(
        `${field} column "${name}" has type "${type}"; allowed types are ${ATTRIBUTE_TYPES.join(
          ', ',
        )}`,
      );
    }
    if (seen.has(name)) {
      problems.push(`${field} lists column "${name}" twice`);
    }
    seen.add(name);
    result.push({ AttributeName: name, AttributeType: type });
  });
  return result;
}

/** Checks that a schema has the fields its domain and dataset type require. */
export function checkRequiredFields(
  field: string,
  attributes: SchemaAttribute[],
  required: Array<{ name: string; types: string[] }>,
  problems: string[],
): void {
  for (const { name, types } of required) {
    const attribute = attributes.find(a => a.AttributeName === name);
    if (!attribute) {
      problems.push(
        `${field} must have a column named "${name}" (type ${types.join(
          ' or ',
        )})`,
      );
    } else if (!types.includes(attribute.AttributeType)) {
      problems.push(
        `${field} column "${name}" must be of type ${types.join(' or ')}, not ${
          attribute.AttributeType
        }`,
      );
    }
  }
}

/** Serializes the schema as the template's JSON parameters expect it. */
export function schemaJson(attributes: SchemaAttribute[]): string {
  return JSON.stringify({ Attributes: attributes });
}
