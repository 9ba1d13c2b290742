/** Checks of CreateAutoPredictor settings against the dataset group's data. */
import {
  approximateDuration,
  parseFrequency,
  type Frequency,
} from '../engine/frequency';
import type { SchemaAttribute } from './importParser';
import {
  AGGREGATION_METHODS,
  TARGET_FILL_METHODS,
  type TargetTransformations,
} from './prepareSeries';
import { invalidInput } from './validation';
import type { Row } from './ForecastState';

/** Valid methods of each AttributeConfigs transformation. */
const TRANSFORMATION_METHODS: Record<string, string[] | undefined> = {
  aggregation: AGGREGATION_METHODS,
  frontfill: ['none'],
  middlefill: TARGET_FILL_METHODS,
  backfill: TARGET_FILL_METHODS,
  futurefill: TARGET_FILL_METHODS,
};

function numberOrUndefined(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

export function checkFrequencies(
  frequency: Frequency,
  target: Row,
  datasets: (Row | undefined)[],
): void {
  if (target.DataFrequency) {
    const data = parseFrequency(target.DataFrequency)!;
    if (approximateDuration(frequency) < approximateDuration(data)) {
      throw invalidInput(
        `ForecastFrequency ${frequency.text} is finer than the target time series' DataFrequency ${data.text}; the forecast frequency must be equal to or coarser than the data frequency.`,
      );
    }
  }
  const related = datasets.find(d => d?.DatasetType === 'RELATED_TIME_SERIES');
  if (related && related.DataFrequency !== frequency.text) {
    throw invalidInput(
      `ForecastFrequency ${frequency.text} differs from the related time series' DataFrequency ${related.DataFrequency}; they must be equal.`,
    );
  }
}

export function checkDimensions(
  value: unknown,
  target: Row,
  identifier: string,
): string[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value) || value.length > 10) {
    throw invalidInput(
      'ForecastDimensions must be a list of at most 10 attribute names.',
    );
  }
  const strings = (target.Schema.Attributes as SchemaAttribute[])
    .filter(a => a.AttributeType === 'string' && a.AttributeName !== identifier)
    .map(a => a.AttributeName);
  for (const dimension of value) {
    if (!strings.includes(dimension)) {
      throw invalidInput(
        `Forecast dimension ${JSON.stringify(
          dimension,
        )} is not a string attribute of the target time series schema besides ${identifier}; use one of: ${
          strings.join(', ') || '(none)'
        }.`,
      );
    }
  }
  return value as string[];
}

export function checkAttributeConfigs(
  value: unknown,
  targetField: string,
  datasets: (Row | undefined)[],
): TargetTransformations {
  const result: TargetTransformations = {
    aggregation: 'sum',
    middlefill: 'zero',
    backfill: 'zero',
  };
  if (value === undefined) {
    return result;
  }
  if (!Array.isArray(value) || value.length > 50) {
    throw invalidInput(
      'AttributeConfigs must be a list of at most 50 entries.',
    );
  }
  const known = new Set(
    datasets.flatMap(d =>
      d ? d.Schema.Attributes.map((a: SchemaAttribute) => a.AttributeName) : [],
    ),
  );
  for (const config of value as Row[]) {
    const name = config?.AttributeName;
    if (!known.has(name)) {
      throw invalidInput(
        `AttributeConfigs names ${JSON.stringify(
          name,
        )}, which is not an attribute of the dataset group's datasets.`,
      );
    }
    const transformations = (config.Transformations ?? {}) as Record<
      string,
      string
    >;
    for (const [key, method] of Object.entries(transformations)) {
      if (key.endsWith('_value')) {
        if (!Number.isFinite(Number(method))) {
          throw invalidInput(
            `Transformation ${key} of ${name} must be a number, not ${JSON.stringify(
              method,
            )}.`,
          );
        }
        continue;
      }
      const allowed = TRANSFORMATION_METHODS[key];
      if (!allowed) {
        throw invalidInput(
          `Unknown transformation ${key} of ${name}: use aggregation, frontfill, middlefill, backfill or futurefill.`,
        );
      }
      if (!allowed.includes(method)) {
        throw invalidInput(
          `Invalid ${key} method ${JSON.stringify(
            method,
          )} for ${name}: use one of ${allowed.join(', ')}.`,
        );
      }
    }
    if (name === targetField) {
      result.aggregation =
        (transformations.aggregation as TargetTransformations['aggregation']) ??
        'sum';
      result.middlefill = transformations.middlefill ?? 'zero';
      result.backfill = transformations.backfill ?? 'zero';
      result.middlefillValue = numberOrUndefined(
        transformations.middlefill_value,
      );
      result.backfillValue = numberOrUndefined(transformations.backfill_value);
    }
  }
  // NOTE: only the target's transformations are applied. Item metadata is
  // stored but unused, and related series gaps are carried forward.
  return result;
}

export function checkHorizon(
  value: unknown,
  lengths: number[],
  retrain: boolean,
): number {
  const horizon = Number(value);
  if (value === undefined || !Number.isInteger(horizon) || horizon < 1) {
    throw invalidInput(
      `ForecastHorizon ${JSON.stringify(
        value,
      )} is invalid: give a whole number of ForecastFrequency periods, at least 1.`,
    );
  }
  const length = Math.max(...lengths);
  const divisor = retrain ? 3 : 4;
  const limit = Math.min(500, Math.floor(length / divisor));
  if (horizon > limit) {
    throw invalidInput(
      `ForecastHorizon ${horizon} exceeds the limit of ${limit} for this data: the horizon can be at most min(500, ${length} / ${divisor}) where ${length} is the length of the longest target time series at the forecast frequency. Shorten the horizon or import more history.`,
    );
  }
  return horizon;
}
