import {
  FORECAST_TAGS,
  ForecastStackRole,
} from '@forecast-pipelines/plugin-forecast-common';

/** The values of the stack tags the catalog provider reads. */
export interface ForecastStackTagValues {
  role: ForecastStackRole;
  entityRef: string;
  owner: string;
  title?: string;
  description?: string;
  template?: string;
  createdBy?: string;
}

const MAX_TAG_VALUE_LENGTH = 256;

/**
 * Characters AWS accepts in tag values on every resource type these stacks
 * create (IAM and S3 are the strictest): letters, digits, whitespace and
 * `_ . : / = + - @`. Stack tags propagate to the resources, so a value outside
 * this set would make the deployment fail on the first IAM role.
 */
const DISALLOWED_TAG_CHARACTERS = /[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu;

/**
 * Makes a free-text value safe as a tag value: characters outside the allowed
 * set become spaces, and the value is cut to 256 characters.
 */
export function toTagValue(text: string): string {
  // NOTE: punctuation such as commas and quotes is lost, so a title or
  // description in the catalog can differ slightly from what was typed.
  const cleaned = text
    .replace(DISALLOWED_TAG_CHARACTERS, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned.slice(0, MAX_TAG_VALUE_LENGTH);
}

/** Builds the `forecast-pipelines:*` stack tags; empty values are left out. */
export function buildStackTags(
  values: ForecastStackTagValues,
): Record<string, string> {
  const entries: Array<[string, string | undefined]> = [
    [FORECAST_TAGS.role, values.role],
    [FORECAST_TAGS.entityRef, values.entityRef],
    [FORECAST_TAGS.owner, values.owner],
    [FORECAST_TAGS.title, values.title],
    [FORECAST_TAGS.description, values.description],
    [FORECAST_TAGS.template, values.template],
    [FORECAST_TAGS.createdBy, values.createdBy],
  ];

  const tags: Record<string, string> = {};
  for (const [key, value] of entries) {
    const tagValue = value ? toTagValue(value) : '';
    if (tagValue) {
      tags[key] = tagValue;
    }
  }
  return tags;
}
