import { AwsServiceError } from '../core/errors';
import { invalidInput } from './validation';

/** A List filter as the API carries it. */
interface Filter {
  Key: string;
  Value: string;
  Condition: 'IS' | 'IS_NOT';
}

/**
 * Applies List* Filters, newest first, then pages the result. Tokens encode
 * the offset and the request they belong to. `fields` maps each allowed
 * filter key to the value of a record.
 */
export function listPage<T>(
  records: T[],
  input: Record<string, unknown>,
  fields: Record<string, (record: T) => string | undefined>,
  creationTime: (record: T) => number,
): { items: T[]; nextToken?: string } {
  const filters = (input.Filters ?? []) as Filter[];
  if (!Array.isArray(filters)) {
    throw invalidInput('Filters must be a list of {Key, Value, Condition}.');
  }
  for (const filter of filters) {
    if (!fields[filter?.Key]) {
      throw invalidInput(
        `Invalid filter key ${JSON.stringify(
          filter?.Key,
        )}: this operation filters on ${Object.keys(fields).join(', ')}.`,
      );
    }
    if (filter.Condition !== 'IS' && filter.Condition !== 'IS_NOT') {
      throw invalidInput(
        `Invalid filter condition ${JSON.stringify(
          filter.Condition,
        )}: use IS or IS_NOT.`,
      );
    }
  }
  const maxResults =
    input.MaxResults === undefined ? 100 : Number(input.MaxResults);
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 100) {
    throw invalidInput(
      `Invalid MaxResults ${JSON.stringify(
        input.MaxResults,
      )}: use an integer from 1 to 100.`,
    );
  }

  const matching = records
    .filter(record =>
      filters.every(filter => {
        const equal = fields[filter.Key](record) === filter.Value;
        return filter.Condition === 'IS' ? equal : !equal;
      }),
    )
    .sort((a, b) => creationTime(b) - creationTime(a));

  let offset = 0;
  if (input.NextToken !== undefined) {
    offset = decodeToken(String(input.NextToken));
  }
  const items = matching.slice(offset, offset + maxResults);
  const next = offset + maxResults;
  return {
    items,
    nextToken: next < matching.length ? encodeToken(next) : undefined,
  };
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset, issued: Date.now() })).toString(
    'base64',
  );
}

function decodeToken(token: string): number {
  try {
    const { offset, issued } = JSON.parse(
      Buffer.from(token, 'base64').toString('utf8'),
    );
    if (
      Number.isInteger(offset) &&
      offset >= 0 &&
      Date.now() - issued < 24 * 3600 * 1000
    ) {
      return offset;
    }
  } catch {
    // Reported below.
  }
  throw new AwsServiceError(
    'InvalidNextTokenException',
    'The NextToken is invalid or has expired (tokens last 24 hours); repeat the request without it.',
  );
}
