/**
 * Reads the CSV files of a dataset import job into series, the way Amazon
 * Forecast reads them: columns in the schema's order, timestamps in the
 * job's TimestampFormat, numbers where the schema has integer or float.
 * Runs in a worker thread. A bad row throws an {@link ImportError} whose
 * message names the file, line, column and value.
 */
import { CsvSyntaxError, parseCsv } from './csv';
import { compileTimestampFormat, formatTimestamp } from './timestamps';

/** A schema attribute, as in CreateDataset. */
export interface SchemaAttribute {
  AttributeName: string;
  AttributeType: string;
}

/** One file to read. */
export interface ImportFile {
  /** `s3://bucket/key`, used in messages. */
  path: string;
  body: Uint8Array;
}

/** The input of an import: its files and how to read them. */
export interface ImportSpec {
  datasetType: string;
  attributes: SchemaAttribute[];
  timestampFormat: string;
  files: ImportFile[];
}

/** Values of one series: every row with the same key columns. */
export interface SeriesData {
  key: string[];
  times: Float64Array;
  /** One array per value column; NaN where the CSV field was empty. */
  values: Float64Array[];
}

/** Statistics of one field, as in DescribeDatasetImportJob. */
export interface FieldStatistics {
  Count: number;
  CountDistinct?: number;
  CountNull: number;
  CountNan?: number;
  Min?: string;
  Max?: string;
  Avg?: number;
  Stddev?: number;
}

/** The content of a dataset, or of one import into it. */
export interface DatasetContent {
  /** String attributes that identify a series (item id, dimensions). */
  keyColumns: string[];
  /** Numeric attributes (the target, related features). */
  valueColumns: string[];
  series: SeriesData[];
  /** Item metadata rows, all attributes as text, in schema order. */
  rows: string[][];
}

/** The result of reading an import job's files. */
export interface ParsedImport {
  content: DatasetContent;
  statistics: Record<string, FieldStatistics>;
  rowCount: number;
  byteCount: number;
}

/** An import failure whose message is meant for the user. */
export class ImportError extends Error {
  name = 'ImportError';
}

interface NumericStats {
  count: number;
  nulls: number;
  nans: number;
  sum: number;
  squares: number;
  min: number;
  max: number;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function isNumeric(type: string): boolean {
  return type === 'float' || type === 'integer';
}

function looksLikeHeader(fields: string[], spec: ImportSpec): boolean {
  const names = spec.attributes.map(a => a.AttributeName.toLowerCase());
  if (fields.every((field, i) => field.trim().toLowerCase() === names[i])) {
    return true;
  }
  // A row with no number where the schema has numbers and no timestamp
  // where it has one is a header, not data.
  const parse = compileTimestampFormat(spec.timestampFormat);
  let typed = 0;
  for (const [i, attribute] of spec.attributes.entries()) {
    const field = (fields[i] ?? '').trim();
    if (isNumeric(attribute.AttributeType)) {
      typed++;
      if (NUMBER.test(field) || field === '') {
        return false;
      }
    }
    if (attribute.AttributeType === 'timestamp') {
      typed++;
      if (parse(field) !== undefined) {
        return false;
      }
    }
  }
  return typed > 0;
}

/** Reads every file of an import job. */
export function parseImport(spec: ImportSpec): ParsedImport {
  const attributes = spec.attributes;
  const names = attributes.map(a => a.AttributeName);
  const isItemMetadata = spec.datasetType === 'ITEM_METADATA';
  const keyIndexes = attributes
    .map((a, i) => (a.AttributeType === 'string' ? i : -1))
    .filter(i => i >= 0);
  const valueIndexes = attributes
    .map((a, i) => (isNumeric(a.AttributeType) ? i : -1))
    .filter(i => i >= 0);
  const timeIndex = attributes.findIndex(a => a.AttributeType === 'timestamp');
  let parseTime: (text: string) => number | undefined;
  try {
    parseTime = compileTimestampFormat(spec.timestampFormat);
  } catch (error) {
    throw new ImportError(
      `Invalid TimestampFormat "${spec.timestampFormat}": ${
        (error as Error).message
      }.`,
    );
  }

  const grouped = new Map<
    string,
    { key: string[]; times: number[]; values: number[][] }
  >();
  const rows: string[][] = [];
  const numeric: NumericStats[] = attributes.map(() => ({
    count: 0,
    nulls: 0,
    nans: 0,
    sum: 0,
    squares: 0,
    min: Infinity,
    max: -Infinity,
  }));
  const distinct = attributes.map(() => new Set<string>());
  const nulls = attributes.map(() => 0);
  let minTime = Infinity;
  let maxTime = -Infinity;
  let rowCount = 0;
  let byteCount = 0;
  const decoder = new TextDecoder('utf-8');

  for (const file of spec.files) {
    byteCount += file.body.byteLength;
    const text = decoder.decode(file.body);
    // The text is all that is needed from here on; let the bytes go.
    file.body = new Uint8Array(0);
    let first = true;
    try {
      for (const { line, fields } of parseCsv(text)) {
        const where = `${file.path} line ${line}`;
        if (first) {
          first = false;
          if (looksLikeHeader(fields, spec)) {
            const found = fields.map(f => f.trim());
            const matches =
              found.length === names.length &&
              found.every((f, i) => f.toLowerCase() === names[i].toLowerCase());
            if (!matches) {
              throw new ImportError(
                `The header row of ${file.path} (${found.join(
                  ',',
                )}) does not match the dataset schema, whose attributes in order are ${names.join(
                  ',',
                )}. Put the columns in the schema's order with those names, or remove the header row.`,
              );
            }
            continue;
          }
        }
        if (fields.length !== names.length) {
          throw new ImportError(
            `${where}: found ${fields.length} fields but the schema has ${
              names.length
            } (${names.join(',')}). Quote any value that contains a comma.`,
          );
        }
        rowCount++;

        const values: number[] = [];
        for (const i of valueIndexes) {
          const field = fields[i].trim();
          const stats = numeric[i];
          if (field === '') {
            stats.nulls++;
            values.push(NaN);
            continue;
          }
          if (/^nan$/i.test(field)) {
            stats.nans++;
            values.push(NaN);
            continue;
          }
          const type = attributes[i].AttributeType;
          if (
            !NUMBER.test(field) ||
            (type === 'integer' && !/^[-+]?\d+$/.test(field))
          ) {
            throw new ImportError(
              `${where}, column ${names[i]}: "${
                fields[i]
              }" is not a valid ${type}. Every value of ${
                names[i]
              } must be a number${
                type === 'integer' ? ' without a fraction' : ''
              }, or empty when missing.`,
            );
          }
          const value = Number(field);
          stats.count++;
          stats.sum += value;
          stats.squares += value * value;
          stats.min = Math.min(stats.min, value);
          stats.max = Math.max(stats.max, value);
          values.push(value);
        }

        let time = NaN;
        if (timeIndex >= 0) {
          const field = fields[timeIndex];
          const parsed = parseTime(field.trim());
          if (parsed === undefined) {
            throw new ImportError(
              `${where}, column ${names[timeIndex]}: "${field}" does not match the TimestampFormat ${spec.timestampFormat}. Write timestamps in that format or set the import job's TimestampFormat to match the file.`,
            );
          }
          time = parsed;
          minTime = Math.min(minTime, time);
          maxTime = Math.max(maxTime, time);
          distinct[timeIndex].add(field);
        }

        for (const [i, attribute] of attributes.entries()) {
          if (attribute.AttributeType === 'string') {
            if (fields[i] === '') {
              nulls[i]++;
              if (i === keyIndexes[0]) {
                throw new ImportError(
                  `${where}, column ${names[i]}: the value is empty. Every row needs an ${names[i]}.`,
                );
              }
            }
            distinct[i].add(fields[i]);
          }
        }

        if (isItemMetadata) {
          rows.push(fields);
          continue;
        }
        const key = keyIndexes.map(i => fields[i]);
        const id = key.join('\u0001');
        let series = grouped.get(id);
        if (!series) {
          series = { key, times: [], values: valueIndexes.map(() => []) };
          grouped.set(id, series);
        }
        series.times.push(time);
        values.forEach((value, k) => series!.values[k].push(value));
      }
    } catch (error) {
      if (error instanceof CsvSyntaxError) {
        throw new ImportError(
          `${file.path} line ${error.line}: ${error.message}. Close every quoted field and double any quote inside it.`,
        );
      }
      throw error;
    }
  }

  const statistics: Record<string, FieldStatistics> = {};
  for (const [i, attribute] of attributes.entries()) {
    const name = attribute.AttributeName;
    if (isNumeric(attribute.AttributeType)) {
      const s = numeric[i];
      const mean = s.count > 0 ? s.sum / s.count : 0;
      statistics[name] = {
        Count: rowCount,
        CountNull: s.nulls,
        CountNan: s.nans,
        Min: s.count > 0 ? String(s.min) : undefined,
        Max: s.count > 0 ? String(s.max) : undefined,
        Avg: mean,
        Stddev:
          s.count > 1
            ? Math.sqrt(
                Math.max(
                  0,
                  (s.squares - s.count * mean * mean) / (s.count - 1),
                ),
              )
            : 0,
      };
    } else if (attribute.AttributeType === 'timestamp') {
      statistics[name] = {
        Count: rowCount,
        CountDistinct: distinct[i].size,
        CountNull: 0,
        Min: rowCount > 0 ? formatTimestamp(minTime) : undefined,
        Max: rowCount > 0 ? formatTimestamp(maxTime) : undefined,
      };
    } else {
      statistics[name] = {
        Count: rowCount,
        CountDistinct: distinct[i].size,
        CountNull: nulls[i],
      };
    }
  }

  return {
    content: {
      keyColumns: keyIndexes.map(i => names[i]),
      valueColumns: valueIndexes.map(i => names[i]),
      series: [...grouped.values()].map(s => sortSeries(s)),
      rows,
    },
    statistics,
    rowCount,
    byteCount,
  };
}

function sortSeries(series: {
  key: string[];
  times: number[];
  values: number[][];
}): SeriesData {
  const sorted = series.times.every(
    (time, i) => i === 0 || series.times[i - 1] <= time,
  );
  if (sorted) {
    return {
      key: series.key,
      times: Float64Array.from(series.times),
      values: series.values.map(column => Float64Array.from(column)),
    };
  }
  const order = series.times.map((_, i) => i);
  order.sort((a, b) => series.times[a] - series.times[b]);
  return {
    key: series.key,
    times: Float64Array.from(order, i => series.times[i]),
    values: series.values.map(column =>
      Float64Array.from(order, i => column[i]),
    ),
  };
}
