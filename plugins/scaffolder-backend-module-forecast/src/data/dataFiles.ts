import { InputError } from '@backstage/errors';
import { parse } from 'csv-parse/sync';
import type { SchemaAttribute } from '../workload/datasetSchema';

/** A file taken from a data URL. */
export interface DataUrlFile {
  name?: string;
  mediaType: string;
  content: Buffer;
}

/**
 * Decodes a data URL as the scaffolder form's file field sends it, for
 * example `data:text/csv;name=sales.csv;base64,MjAxNC0...`. The optional
 * `name` parameter carries the original file name, URL-encoded.
 */
export function parseDataUrl(field: string, value: string): DataUrlFile {
  const match = /^data:([^,]*),(.*)$/s.exec(value);
  if (!match) {
    throw new InputError(
      `${field} is not a data URL (data:<type>;base64,<content>); pick the file again in the form`,
    );
  }
  const [, header, payload] = match;
  const parts = header.split(';');
  const mediaType = parts[0] || 'text/plain';
  let name: string | undefined;
  let base64 = false;
  for (const part of parts.slice(1)) {
    if (part === 'base64') {
      base64 = true;
    } else if (part.startsWith('name=')) {
      name = decodeURIComponent(part.slice('name='.length));
    }
  }
  const content = base64
    ? Buffer.from(payload, 'base64')
    : Buffer.from(decodeURIComponent(payload), 'utf8');
  return { name, mediaType, content };
}

/**
 * Makes a file name safe as the last part of an S3 key: letters, digits,
 * dots, hyphens and underscores. Amazon Forecast also needs a letter in it.
 */
export function safeFileName(
  name: string | undefined,
  fallback: string,
): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '');
  if (!cleaned || !/[A-Za-z]/.test(cleaned)) {
    return fallback;
  }
  return cleaned;
}

/** Result of checking a CSV file. */
export interface CsvCheck {
  rows: number;
  /** True when the first row was the column names and was removed. */
  headerRemoved: boolean;
  content: Buffer;
}

const MAX_REPORTED_ROWS = 5;

/**
 * Timestamp shapes Amazon Forecast accepts for each TimestampFormat: data of
 * a day or longer may leave out the time of day.
 */
const TIMESTAMP_PATTERNS: Record<string, RegExp> = {
  'yyyy-MM-dd HH:mm:ss': /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/,
  'yyyy-MM-dd': /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/,
};

/** Returns why a value does not fit its column type, or undefined when it does. */
function checkValue(
  value: string,
  type: string,
  timestampFormat: string | undefined,
): string | undefined {
  // An empty value is a missing value, which the import fills.
  if (value === '') {
    return undefined;
  }
  if (type === 'float' && !Number.isFinite(Number(value))) {
    return 'is not a number';
  }
  if (type === 'integer' && !/^[-+]?\d+$/.test(value)) {
    return 'is not an integer';
  }
  const pattern = timestampFormat
    ? TIMESTAMP_PATTERNS[timestampFormat]
    : undefined;
  if (type === 'timestamp' && pattern && !pattern.test(value)) {
    return `does not match the TimestampFormat ${timestampFormat}`;
  }
  return undefined;
}

/**
 * Checks a CSV file against the dataset schema: every row has one value per
 * schema column, numbers where the column is a float or integer, and
 * timestamps in the dataset's TimestampFormat when one is given. A first row
 * equal to the column names is removed, because Amazon Forecast reads a
 * header as data. Throws an InputError naming the first bad rows, so a bad
 * file is rejected before anything in S3 changes.
 */
export function checkCsv(
  field: string,
  content: Buffer,
  schema: SchemaAttribute[] | undefined,
  timestampFormat?: string,
): CsvCheck {
  let rows: string[][];
  try {
    rows = parse(content, {
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as string[][];
  } catch (error) {
    throw new InputError(
      `${field} is not a valid CSV file: ${(error as Error).message}`,
    );
  }
  if (rows.length === 0) {
    throw new InputError(`${field} is empty: it needs at least one data row`);
  }

  if (!schema || schema.length === 0) {
    return { rows: rows.length, headerRemoved: false, content };
  }

  const names = schema.map(a => a.AttributeName.toLowerCase());
  const first = rows[0].map(value => value.toLowerCase());
  const headerRemoved =
    first.length === names.length && first.every((v, i) => v === names[i]);

  const dataRows = headerRemoved ? rows.slice(1) : rows;
  const bad: string[] = [];
  dataRows.forEach((row, index) => {
    if (row.length !== names.length && bad.length < MAX_REPORTED_ROWS) {
      const rowNumber = index + 1 + (headerRemoved ? 1 : 0);
      bad.push(`row ${rowNumber} has ${row.length}`);
    }
  });
  if (bad.length === 0) {
    const badValues: string[] = [];
    for (let index = 0; index < dataRows.length; index++) {
      const rowNumber = index + 1 + (headerRemoved ? 1 : 0);
      schema.forEach((attribute, column) => {
        const value = dataRows[index][column];
        const problem = checkValue(
          value,
          attribute.AttributeType,
          timestampFormat,
        );
        if (problem && badValues.length < MAX_REPORTED_ROWS) {
          badValues.push(
            `row ${rowNumber}, column ${attribute.AttributeName}: "${value}" ${problem}`,
          );
        }
      });
      if (badValues.length >= MAX_REPORTED_ROWS) {
        break;
      }
    }
    if (badValues.length > 0) {
      throw new InputError(
        `${field} has invalid values, so nothing was uploaded: ${badValues.join(
          '; ',
        )}`,
      );
    }
  }
  if (bad.length > 0) {
    throw new InputError(
      `${field} does not match the schema: each row needs ${
        names.length
      } values (${schema
        .map(a => a.AttributeName)
        .join(',')}, in that order), but ${bad.join(', ')}`,
    );
  }

  if (!headerRemoved) {
    return { rows: dataRows.length, headerRemoved, content };
  }
  const text = content.toString('utf8');
  const withoutHeader = text.slice(text.indexOf('\n') + 1);
  return {
    rows: dataRows.length,
    headerRemoved,
    content: Buffer.from(withoutHeader, 'utf8'),
  };
}
