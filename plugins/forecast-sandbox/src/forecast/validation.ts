import { AwsServiceError } from '../core/errors';

/** Raises Amazon Forecast's InvalidInputException. */
export function invalidInput(message: string): AwsServiceError {
  return new AwsServiceError('InvalidInputException', message);
}

const NAME = /^[a-zA-Z][a-zA-Z0-9_]*$/;

/**
 * Checks a resource or attribute name: 1 to 63 characters, a letter first,
 * then letters, digits and underscores.
 */
export function checkName(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw invalidInput(`${field} is required.`);
  }
  if (value.length > 63 || !NAME.test(value)) {
    throw invalidInput(
      `Invalid ${field} "${value}": a name has 1 to 63 characters, starts with a letter and contains only letters, digits and underscores (pattern ^[a-zA-Z][a-zA-Z0-9_]*$). Replace "-" and other characters with "_".`,
    );
  }
  return value;
}

/** Checks that a value is one of the allowed strings. */
export function checkEnum<T extends string>(
  field: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw invalidInput(
      `Invalid ${field} ${JSON.stringify(value)}: use one of ${allowed.join(
        ', ',
      )}.`,
    );
  }
  return value as T;
}

/** Checks a required ARN string; only its presence and length. */
export function checkArn(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw invalidInput(`${field} is required.`);
  }
  if (value.length > 256 || !/^arn:([a-z\d-]+):forecast:.*:.*:.+/.test(value)) {
    throw invalidInput(
      `Invalid ${field} "${value}": expected an Amazon Forecast ARN (arn:aws:forecast:<region>:<account>:<resource>).`,
    );
  }
  return value;
}

/** Tags as the API carries them. */
export interface Tag {
  Key: string;
  Value: string;
}

/** Checks a tag list: at most 50, keys 1-128 and not `aws:`, values ≤ 256. */
export function checkTags(value: unknown): Tag[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw invalidInput('Tags must be a list of {Key, Value} objects.');
  }
  if (value.length > 50) {
    throw invalidInput(
      `A resource can have at most 50 tags; the request has ${value.length}.`,
    );
  }
  return value.map(tag => {
    const { Key, Value } = (tag ?? {}) as Record<string, unknown>;
    if (typeof Key !== 'string' || Key.length < 1 || Key.length > 128) {
      throw invalidInput(
        `Invalid tag key ${JSON.stringify(
          Key,
        )}: a key has 1 to 128 characters.`,
      );
    }
    if (Key.toLowerCase().startsWith('aws:')) {
      throw invalidInput(
        `Invalid tag key "${Key}": keys starting with "aws:" are reserved.`,
      );
    }
    if (typeof Value !== 'string' || Value.length > 256) {
      throw invalidInput(
        `Invalid value for tag "${Key}": a value is a string of at most 256 characters.`,
      );
    }
    return { Key, Value };
  });
}

const FORECAST_TYPE = /^(0?\.\d\d?|mean)$/;

/**
 * Checks ForecastTypes: 1 to 5 entries, each `mean` or a quantile from 0.01
 * to 0.99 with at most two decimals. Returns the default 0.1, 0.5 and 0.9
 * when absent.
 */
export function checkForecastTypes(value: unknown): string[] {
  if (value === undefined) {
    return ['0.1', '0.5', '0.9'];
  }
  if (!Array.isArray(value) || value.length === 0) {
    throw invalidInput('ForecastTypes must be a non-empty list.');
  }
  if (value.length > 5) {
    throw invalidInput(
      `ForecastTypes has ${value.length} entries; at most 5 forecast types are allowed.`,
    );
  }
  for (const type of value) {
    if (
      typeof type !== 'string' ||
      !FORECAST_TYPE.test(type) ||
      (type !== 'mean' && (Number(type) < 0.01 || Number(type) > 0.99))
    ) {
      throw invalidInput(
        `Invalid forecast type ${JSON.stringify(
          type,
        )}: use "mean" or a quantile from 0.01 to 0.99 such as "0.1".`,
      );
    }
  }
  if (
    new Set(value.map(type => (type === 'mean' ? type : Number(type)))).size !==
    value.length
  ) {
    throw invalidInput(`ForecastTypes ${value.join(', ')} repeats a type.`);
  }
  return value as string[];
}

/** Parses an `s3://bucket/key` path into bucket and key (prefix). */
export function parseS3Path(
  field: string,
  value: unknown,
): { bucket: string; key: string } {
  const match =
    typeof value === 'string'
      ? /^s3:\/\/([a-z0-9][^/]*)\/?(.*)$/.exec(value)
      : null;
  if (!match) {
    throw invalidInput(
      `Invalid ${field} ${JSON.stringify(
        value,
      )}: expected an S3 path such as s3://my-bucket/prefix/.`,
    );
  }
  return { bucket: match[1], key: match[2] };
}

/** Reads `S3Config` from a DataSource or Destination. */
export function checkS3Config(
  field: string,
  value: unknown,
): { Path: string; RoleArn: string; KMSKeyArn?: string } {
  const config = (value as { S3Config?: Record<string, unknown> } | undefined)
    ?.S3Config;
  if (!config || typeof config !== 'object') {
    throw invalidInput(`${field}.S3Config is required.`);
  }
  parseS3Path(`${field}.S3Config.Path`, config.Path);
  if (typeof config.RoleArn !== 'string' || config.RoleArn === '') {
    throw invalidInput(`${field}.S3Config.RoleArn is required.`);
  }
  return config as { Path: string; RoleArn: string; KMSKeyArn?: string };
}

/** Checks an optional file Format: CSV (the default) or PARQUET. */
export function checkFormat(value: unknown): string {
  if (value === undefined) {
    return 'CSV';
  }
  const format = checkEnum('Format', value, ['CSV', 'PARQUET'] as const);
  if (format === 'PARQUET') {
    // NOTE: Parquet files are a valid Amazon Forecast format but the sandbox
    // reads and writes CSV only.
    throw invalidInput(
      'Format PARQUET is not supported by the Forecast sandbox; use CSV.',
    );
  }
  return format;
}
