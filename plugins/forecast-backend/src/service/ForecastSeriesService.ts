import { InputError, NotFoundError } from '@backstage/errors';
import type {
  ForecastExport,
  ForecastSeriesResponse,
  SeriesPoint,
} from '@forecast-pipelines/plugin-forecast-common';
import { parse } from 'csv-parse/sync';
import { ExportService } from './ExportService';
import { ObjectReader } from './ObjectReader';
import { ResponseCache } from './ResponseCache';
import { parseS3Path } from './s3Paths';
import { timestampParser } from './timestamps';
import type { WorkloadScope } from './WorkloadResolver';

/** `<job>_<yyyy-MM-ddTHH-mm-ssZ>_part<N>.csv`, as Forecast names export files. */
const EXPORT_FILE =
  /^(?<run>.+_\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z)_part(?<part>\d+)\.csv$/;

/** Identifier and target fields of the target time series, by dataset domain. */
const DOMAIN_FIELDS: Record<string, { id: string; target: string }> = {
  CUSTOM: { id: 'item_id', target: 'target_value' },
  RETAIL: { id: 'item_id', target: 'demand' },
  INVENTORY_PLANNING: { id: 'item_id', target: 'demand' },
  EC2_CAPACITY: { id: 'instance_type', target: 'number_of_instances' },
  WORK_FORCE: { id: 'workforce_type', target: 'workforce_demand' },
  WEB_TRAFFIC: { id: 'item_id', target: 'value' },
  METRICS: { id: 'metric_name', target: 'metric_value' },
};

/** Rows of the newest export, split into its columns. */
interface ParsedExport {
  exportJobArn: string;
  dimensionNames: string[];
  forecastTypes: string[];
  rows: string[][];
}

/** Query of `GET .../forecast`. */
export interface SeriesQuery {
  item?: string;
  /** `name=value,...` */
  dimensions?: string;
}

function parseDimensions(text: string | undefined): Record<string, string> {
  const dimensions: Record<string, string> = {};
  for (const pair of (text ?? '').split(',').filter(Boolean)) {
    const [name, ...value] = pair.split('=');
    if (!name || value.length === 0) {
      throw new InputError(
        `Invalid dimensions "${text}": expected name=value pairs separated by commas`,
      );
    }
    dimensions[name.trim()] = value.join('=').trim();
  }
  return dimensions;
}

/**
 * Builds the chart data of one item: the quantile series of the newest
 * forecast export and the recent actual values from the imported target
 * time series CSV files.
 */
export class ForecastSeriesService {
  private lastExport?: { key: string; parsed: ParsedExport };
  private lastActuals?: { key: string; rows: string[][] };

  constructor(
    private readonly exportsService: ExportService,
    private readonly reader: ObjectReader,
    private readonly cache: ResponseCache,
    private readonly actualsPoints: number,
  ) {}

  /** The chart data, cached per item and dimensions like the list results. */
  async series(
    scope: WorkloadScope,
    query: SeriesQuery,
  ): Promise<ForecastSeriesResponse> {
    const dimensions = parseDimensions(query.dimensions);
    const { value } = await this.cache.getOrLoad(
      scope.cacheGroup,
      `series:${query.item ?? ''}:${JSON.stringify(dimensions)}`,
      () => this.load(scope, query.item, dimensions),
    );
    return value;
  }

  private async load(
    scope: WorkloadScope,
    requestedItem: string | undefined,
    dimensions: Record<string, string>,
  ): Promise<ForecastSeriesResponse> {
    const query = { item: requestedItem };
    const { exports } = await this.exportsService.exports(scope);
    const newest = exports.find(
      e => e.status === 'ACTIVE' && e.files.some(f => EXPORT_FILE.test(f.name)),
    );
    if (!newest) {
      return {
        item: query.item ?? '',
        dimensions,
        items: [],
        forecastTypes: [],
        forecast: [],
        actuals: [],
      };
    }

    const parsed = await this.readExport(scope, newest);
    const items = [...new Set(parsed.rows.map(row => row[0]))].sort();
    const item = query.item ?? items[0] ?? '';
    if (query.item && !items.includes(query.item)) {
      throw new NotFoundError(
        `Item "${query.item}" is not in the newest export ${
          newest.name
        }; it has ${items.length} items, for example ${items
          .slice(0, 5)
          .join(', ')}`,
      );
    }
    for (const name of Object.keys(dimensions)) {
      if (!parsed.dimensionNames.includes(name)) {
        throw new InputError(
          `Unknown dimension "${name}": the export has ${
            parsed.dimensionNames.join(', ') || 'no dimensions'
          }`,
        );
      }
    }

    const matches = (values: string[]) =>
      parsed.dimensionNames.every(
        (name, index) =>
          dimensions[name] === undefined || dimensions[name] === values[index],
      );
    const dateIndex = 1 + parsed.dimensionNames.length;
    const forecast = parsed.rows
      .filter(row => row[0] === item && matches(row.slice(1, dateIndex)))
      .map(row => {
        const point: { date: string } & Record<string, number | string> = {
          date: row[dateIndex],
        };
        parsed.forecastTypes.forEach((type, index) => {
          point[type] = Number(row[dateIndex + 1 + index]);
        });
        return point;
      })
      .sort((a, b) => a.date.localeCompare(b.date));

    const firstDate = forecast[0]?.date;
    const actuals = await this.actuals(scope, item, dimensions, firstDate);

    return {
      item,
      dimensions,
      items,
      exportJobArn: parsed.exportJobArn,
      forecastTypes: parsed.forecastTypes,
      forecast,
      actuals,
    };
  }

  private async readExport(
    scope: WorkloadScope,
    job: ForecastExport,
  ): Promise<ParsedExport> {
    const runs = job.files
      .map(file => ({ file, match: EXPORT_FILE.exec(file.name) }))
      .filter(entry => entry.match);
    const newestRun = runs
      .map(entry => entry.match!.groups!.run)
      .sort()
      .pop()!;
    const files = runs.filter(entry => entry.match!.groups!.run === newestRun);
    const key = files
      .map(f => `${f.file.key}@${f.file.lastModified}`)
      .join('|');
    if (this.lastExport?.key === key) {
      return this.lastExport.parsed;
    }

    const location = parseS3Path(job.destination, 'export destination');
    const texts = await this.reader.readAll(
      scope.stackArn,
      location.bucket,
      files.map(f => ({ Key: f.file.key, Size: f.file.size })),
    );

    let header: string[] | undefined;
    const rows: string[][] = [];
    for (const text of texts) {
      const records: string[][] = parse(text, {
        skip_empty_lines: true,
        trim: true,
      });
      if (records.length === 0) {
        continue;
      }
      header ??= records[0];
      rows.push(...records.slice(1));
    }
    const dateIndex = header?.indexOf('date') ?? -1;
    if (!header || dateIndex < 1) {
      throw new InputError(
        `Export ${job.name} has no date column; expected the header item_id,[dimensions],date,<forecast types>`,
      );
    }
    const parsed: ParsedExport = {
      exportJobArn: job.exportJobArn,
      dimensionNames: header.slice(1, dateIndex),
      forecastTypes: header.slice(dateIndex + 1),
      rows,
    };
    this.lastExport = { key, parsed };
    return parsed;
  }

  private async actuals(
    scope: WorkloadScope,
    item: string,
    dimensions: Record<string, string>,
    before: string | undefined,
  ): Promise<SeriesPoint[]> {
    const inputPath = scope.stack.outputs.InputDataPath;
    const schemaText = scope.stack.parameters.TargetTimeSeriesSchema;
    if (!inputPath || !schemaText) {
      return [];
    }

    let attributes: string[];
    try {
      attributes = (JSON.parse(schemaText).Attributes ?? []).map(
        (a: { AttributeName: string }) => a.AttributeName,
      );
    } catch {
      throw new InputError(
        `Stack parameter TargetTimeSeriesSchema of ${scope.stack.stackName} is not valid JSON: expected {"Attributes":[...]}`,
      );
    }
    const fields =
      DOMAIN_FIELDS[scope.stack.parameters.Domain ?? 'CUSTOM'] ??
      DOMAIN_FIELDS.CUSTOM;
    const idIndex = attributes.indexOf(fields.id);
    const targetIndex = attributes.indexOf(fields.target);
    const timeIndex = attributes.indexOf('timestamp');
    if (idIndex < 0 || targetIndex < 0 || timeIndex < 0) {
      return [];
    }
    const dimensionIndexes = Object.entries(dimensions).map(
      ([name, value]) => [attributes.indexOf(name), value] as const,
    );
    const toIso = timestampParser(
      scope.stack.parameters.TimestampFormat || 'yyyy-MM-dd HH:mm:ss',
    );

    const rows = await this.readActuals(scope, inputPath);
    const sums = new Map<string, number>();
    for (const row of rows) {
      if (row[idIndex] !== item) {
        continue;
      }
      if (
        dimensionIndexes.some(
          ([index, value]) => index >= 0 && row[index] !== value,
        )
      ) {
        continue;
      }
      const date = toIso(row[timeIndex] ?? '');
      const value = Number(row[targetIndex]);
      if (!date || !Number.isFinite(value) || (before && date >= before)) {
        continue;
      }
      // Forecast sums target values that fall on one timestamp.
      sums.set(date, (sums.get(date) ?? 0) + value);
    }

    return [...sums.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .slice(-this.actualsPoints)
      .map(([date, value]) => ({ date, value }));
  }

  private async readActuals(
    scope: WorkloadScope,
    inputPath: string,
  ): Promise<string[][]> {
    const input = parseS3Path(inputPath, 'stack output InputDataPath');
    const prefix = `${input.prefix}target/`;
    const objects = (
      await this.reader.list(scope.stackArn, input.bucket, prefix)
    )
      .filter(o => o.Key!.toLowerCase().endsWith('.csv'))
      .sort((a, b) => a.Key!.localeCompare(b.Key!));
    const key = objects
      .map(o => `${o.Key}@${o.LastModified?.toISOString()}:${o.Size}`)
      .join('|');
    if (this.lastActuals?.key === `${input.bucket}|${key}`) {
      return this.lastActuals.rows;
    }

    const texts = await this.reader.readAll(
      scope.stackArn,
      input.bucket,
      objects,
    );
    const rows: string[][] = [];
    for (const text of texts) {
      rows.push(
        ...(parse(text, {
          skip_empty_lines: true,
          trim: true,
          relax_column_count: true,
        }) as string[][]),
      );
    }
    // NOTE: the data carries no header by Forecast's rules; a header row is
    // dropped later because its timestamp does not parse.
    this.lastActuals = { key: `${input.bucket}|${key}`, rows };
    return rows;
  }
}
