import { InputError } from '@backstage/errors';

/** Where one pipeline's listing stands: its AWS page token and items already returned from that page. */
export interface SourcePosition {
  /** AWS `nextToken` of the page being read; null for the first page. */
  token: string | null;
  /** Items of that page already returned. */
  skip: number;
}

/**
 * Position of a merged, newest-first listing over several pipelines. Each
 * pipeline keeps its own AWS page token, so a page costs at most one AWS
 * call per pipeline however long the history is.
 */
export interface ExecutionCursor {
  pageSize: number;
  status: string;
  /** Positions by pipeline key; a pipeline with no entry is exhausted. */
  positions: Record<string, SourcePosition>;
}

/** Encodes a cursor as an opaque URL-safe page token. */
export function encodeCursor(cursor: ExecutionCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/**
 * Decodes a page token and checks it was issued for the same query; throws
 * InputError otherwise.
 */
export function decodeCursor(
  token: string,
  expected: { pageSize: number; status: string; keys: string[] },
): ExecutionCursor {
  let cursor: ExecutionCursor;
  try {
    cursor = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new InputError(
      'Invalid pageToken: it is not a token returned by this API; start again without pageToken',
    );
  }

  const positionsValid =
    cursor &&
    typeof cursor.positions === 'object' &&
    cursor.positions !== null &&
    Object.entries(cursor.positions).every(
      ([key, position]) =>
        expected.keys.includes(key) &&
        (position.token === null || typeof position.token === 'string') &&
        Number.isInteger(position.skip) &&
        position.skip >= 0,
    );
  if (!positionsValid) {
    throw new InputError(
      'Invalid pageToken: it is not a token returned by this API; start again without pageToken',
    );
  }
  if (
    cursor.pageSize !== expected.pageSize ||
    cursor.status !== expected.status
  ) {
    throw new InputError(
      `Invalid pageToken: it was issued for pageSize ${cursor.pageSize} and status "${cursor.status}", not ${expected.pageSize} and "${expected.status}"; keep the query the same while paging`,
    );
  }
  return cursor;
}
