/**
 * Storage of imported dataset content and of trained predictors: a JSON
 * header followed by 64-bit float arrays, written atomically (temporary file,
 * then rename). Binary arrays keep a year of hourly data for a thousand
 * items at a few hundred MB and a fraction of a second to load.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DatasetContent, SeriesData } from './importParser';

/** Writes a header and arrays as one file. */
export function writeArraysFile(
  file: string,
  header: unknown,
  arrays: Float64Array[],
): void {
  const json = Buffer.from(
    JSON.stringify({
      header,
      lengths: arrays.map(array => array.length),
    }),
  );
  const padding = (8 - ((json.length + 4) % 8)) % 8;
  const prefix = Buffer.alloc(4 + json.length + padding, 0x20);
  prefix.writeUInt32LE(json.length + padding, 0);
  json.copy(prefix, 4);

  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  const handle = fs.openSync(temporary, 'w');
  try {
    fs.writeSync(handle, prefix);
    for (const array of arrays) {
      fs.writeSync(
        handle,
        new Uint8Array(array.buffer, array.byteOffset, array.byteLength),
      );
    }
  } finally {
    fs.closeSync(handle);
  }
  fs.renameSync(temporary, file);
}

/** Reads a file written by {@link writeArraysFile}. */
export function readArraysFile<T>(file: string): {
  header: T;
  arrays: Float64Array[];
} {
  const buffer = fs.readFileSync(file);
  const jsonLength = buffer.readUInt32LE(0);
  const { header, lengths } = JSON.parse(
    buffer.subarray(4, 4 + jsonLength).toString('utf8'),
  ) as { header: T; lengths: number[] };
  // Copy into an aligned buffer: Float64Array views need 8-byte alignment.
  const body = new Uint8Array(buffer.length - 4 - jsonLength);
  body.set(buffer.subarray(4 + jsonLength));
  const arrays: Float64Array[] = [];
  let offset = 0;
  for (const length of lengths) {
    arrays.push(new Float64Array(body.buffer, offset, length));
    offset += length * 8;
  }
  return { header, arrays };
}

interface ContentHeader {
  keyColumns: string[];
  valueColumns: string[];
  rows: string[][];
  keys: string[][];
}

/** Saves a dataset's content. */
export function writeContent(file: string, content: DatasetContent): void {
  const arrays: Float64Array[] = [];
  for (const series of content.series) {
    arrays.push(series.times, ...series.values);
  }
  const header: ContentHeader = {
    keyColumns: content.keyColumns,
    valueColumns: content.valueColumns,
    rows: content.rows,
    keys: content.series.map(series => series.key),
  };
  writeArraysFile(file, header, arrays);
}

/** Loads a dataset's content saved by {@link writeContent}. */
export function readContent(file: string): DatasetContent {
  const { header, arrays } = readArraysFile<ContentHeader>(file);
  const width = 1 + header.valueColumns.length;
  return {
    keyColumns: header.keyColumns,
    valueColumns: header.valueColumns,
    rows: header.rows,
    series: header.keys.map((key, i) => ({
      key,
      times: arrays[i * width],
      values: arrays.slice(i * width + 1, (i + 1) * width),
    })),
  };
}

/**
 * Merges an INCREMENTAL import into existing content: a new record replaces
 * every old record with the same key and timestamp, other old records stay.
 */
export function mergeIncremental(
  existing: DatasetContent,
  added: DatasetContent,
): DatasetContent {
  const byKey = new Map<string, SeriesData>();
  for (const series of existing.series) {
    byKey.set(series.key.join('\u0001'), series);
  }
  for (const series of added.series) {
    const id = series.key.join('\u0001');
    const old = byKey.get(id);
    if (!old) {
      byKey.set(id, series);
      continue;
    }
    const replaced = new Set(series.times);
    const keep: number[] = [];
    old.times.forEach((time, i) => {
      if (!replaced.has(time)) {
        keep.push(i);
      }
    });
    const times = [...keep.map(i => old.times[i]), ...series.times];
    const order = times.map((_, i) => i).sort((a, b) => times[a] - times[b]);
    const values = old.values.map((column, k) => {
      const merged = [...keep.map(i => column[i]), ...series.values[k]];
      return Float64Array.from(order, i => merged[i]);
    });
    byKey.set(id, {
      key: series.key,
      times: Float64Array.from(order, i => times[i]),
      values,
    });
  }
  return {
    keyColumns: existing.keyColumns,
    valueColumns: existing.valueColumns,
    series: [...byKey.values()],
    rows: [...existing.rows, ...added.rows],
  };
}
