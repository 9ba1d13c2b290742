import type http from 'node:http';
import { AwsServiceError } from '../core/errors';
import { sendReply } from './http';
import { writeXmlDocument, type XmlValue } from './xml';

/** The flat fields of an awsQuery request (`Action`, `Parameters.member.1.ParameterKey`, ...). */
export type QueryFields = Record<string, string>;

/** Parses an `application/x-www-form-urlencoded` awsQuery body. */
export function parseQueryBody(body: Buffer, url: URL): QueryFields {
  const fields: QueryFields = {};
  for (const [key, value] of url.searchParams) {
    fields[key] = value;
  }
  for (const [key, value] of new URLSearchParams(body.toString('utf8'))) {
    fields[key] = value;
  }
  return fields;
}

/**
 * Reads a list of structures such as `Parameters.member.N.ParameterKey`:
 * returns one record per index, in index order.
 */
export function readQueryStructList(
  fields: QueryFields,
  name: string,
): Record<string, string>[] {
  const byIndex = new Map<number, Record<string, string>>();
  const prefix = `${name}.member.`;
  for (const [key, value] of Object.entries(fields)) {
    if (!key.startsWith(prefix)) {
      continue;
    }
    const [index, ...rest] = key.slice(prefix.length).split('.');
    if (rest.length === 0) {
      continue;
    }
    const item = byIndex.get(Number(index)) ?? {};
    item[rest.join('.')] = value;
    byIndex.set(Number(index), item);
  }
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(e => e[1]);
}

/** Reads a list of strings such as `Capabilities.member.N`. */
export function readQueryStringList(
  fields: QueryFields,
  name: string,
): string[] {
  const prefix = `${name}.member.`;
  return Object.entries(fields)
    .filter(
      ([key]) =>
        key.startsWith(prefix) && !key.slice(prefix.length).includes('.'),
    )
    .sort(
      (a, b) =>
        Number(a[0].slice(prefix.length)) - Number(b[0].slice(prefix.length)),
    )
    .map(([, value]) => value);
}

/** Reads a map such as SNS `Attributes.entry.N.key` / `.value`. */
export function readQueryMap(
  fields: QueryFields,
  name: string,
): Record<string, string> {
  const entries = new Map<string, { key?: string; value?: string }>();
  const prefix = `${name}.entry.`;
  for (const [key, value] of Object.entries(fields)) {
    if (!key.startsWith(prefix)) {
      continue;
    }
    const [index, part] = key.slice(prefix.length).split('.');
    const entry = entries.get(index) ?? {};
    if (part === 'key') entry.key = value;
    if (part === 'value') entry.value = value;
    entries.set(index, entry);
  }
  const map: Record<string, string> = {};
  for (const entry of entries.values()) {
    if (entry.key !== undefined) {
      map[entry.key] = entry.value ?? '';
    }
  }
  return map;
}

/** Returns a required field or raises the awsQuery missing-parameter error. */
export function requireQueryField(fields: QueryFields, name: string): string {
  const value = fields[name];
  if (value === undefined || value === '') {
    throw new AwsServiceError(
      'ValidationError',
      `1 validation error detected: Value null at '${name[0].toLowerCase()}${name.slice(
        1,
      )}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

/** Sends `<ActionResponse><ActionResult>...</ActionResult>` as awsQuery clients expect. */
export function sendQueryResult(
  response: http.ServerResponse,
  action: string,
  result: XmlValue,
  requestId: string,
  xmlns: string,
): void {
  const body = writeXmlDocument(
    `${action}Response`,
    {
      [`${action}Result`]: result ?? {},
      ResponseMetadata: { RequestId: requestId },
    },
    // SNS maps (`Attributes`) repeat `<entry>` with no `<member>` wrapper.
    { xmlns, flattened: new Set(['entry']) },
  );
  sendReply(response, 200, { 'content-type': 'text/xml' }, body);
}

/** Sends the awsQuery `ErrorResponse`, which the SDK turns into the exception named by `Code`. */
export function sendQueryError(
  response: http.ServerResponse,
  error: AwsServiceError,
  requestId: string,
  xmlns: string,
): void {
  const body = writeXmlDocument(
    'ErrorResponse',
    {
      Error: { Type: error.fault, Code: error.code, Message: error.message },
      RequestId: requestId,
    },
    { xmlns },
  );
  sendReply(response, error.statusCode, { 'content-type': 'text/xml' }, body);
}
