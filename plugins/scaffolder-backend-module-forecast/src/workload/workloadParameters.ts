import { InputError } from '@backstage/errors';
import { checkStackName } from '@forecast-pipelines/plugin-forecast-common';
import {
  checkRequiredFields,
  DOMAIN_FIELDS,
  readSchema,
  SchemaInput,
  schemaJson,
} from './datasetSchema';
import { ScheduleChoice, toScheduleExpression } from './schedule';
import type { WorkloadNames } from './workloadNames';

export { deriveCheckedWorkloadNames } from './workloadNames';
export type { WorkloadNames } from './workloadNames';

/** The inputs of `forecast:workload:deploy` that shape the stack parameters. */
export interface WorkloadSettings {
  name: string;
  dependencyStackName: string;
  domain: string;
  targetSchema: SchemaInput;
  dataFrequency: string;
  timestampFormat: string;
  includeRelatedTimeSeries: boolean;
  relatedTimeSeriesSchema?: SchemaInput;
  relatedDataFrequency?: string;
  includeItemMetadata: boolean;
  itemMetadataSchema?: SchemaInput;
  forecastDimensions: string[];
  forecastFrequency?: string;
  forecastHorizon: number;
  quantiles: string[];
  optimizationMetric: string;
  explainPredictor: boolean;
  attributeConfigs?: unknown[] | string;
  importMode: string;
  inputDataPrefix?: string;
  notificationEmail?: string;
  schedule: ScheduleChoice;
  scheduleExpression?: string;
  predictorMaxAgeDays: number;
}

/** Amazon Forecast frequencies, including the integer multiples of the 2023 API. */
const FREQUENCY_PATTERN =
  /^(?:1?Y|(?:[1-9]|1[01])?M|[1-4]?W|[1-6]?D|(?:[1-9]|1\d|2[0-3])?H|(?:[1-9]|[1-5]\d)?min)$/;
const QUANTILE_PATTERN = /^(0?\.\d\d?|mean)$/;
const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const TIMESTAMP_FORMATS = ['yyyy-MM-dd', 'yyyy-MM-dd HH:mm:ss'];
const MAX_FORECAST_HORIZON = 500;
const MAX_FORECAST_TYPES = 5;

function isValidFrequency(value: string): boolean {
  return FREQUENCY_PATTERN.test(value);
}

function readAttributeConfigs(
  value: unknown[] | string | undefined,
  problems: string[],
): string {
  if (value === undefined || value === '') {
    return '[]';
  }
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      problems.push(
        `attributeConfigs is not valid JSON (${
          (error as Error).message
        }): expected a list such as [{"AttributeName":"target_value","Transformations":{"aggregation":"sum"}}]`,
      );
      return '[]';
    }
  }
  if (!Array.isArray(parsed)) {
    problems.push('attributeConfigs must be a JSON list ([] for none)');
    return '[]';
  }
  return JSON.stringify(parsed);
}

/**
 * Builds the `forecast-workload` template parameters from the action inputs,
 * checking each value against Amazon Forecast's rules. Throws an InputError
 * listing every problem, each naming the input and the rule.
 */
export function buildWorkloadParameters(
  settings: WorkloadSettings,
  names: WorkloadNames,
): Record<string, string> {
  const problems: string[] = [];

  const domainFields = DOMAIN_FIELDS[settings.domain];
  if (!domainFields) {
    problems.push(
      `domain "${
        settings.domain
      }" is not an Amazon Forecast domain; use one of ${Object.keys(
        DOMAIN_FIELDS,
      ).join(', ')}`,
    );
  }

  const dependencyProblem = checkStackName(
    'dependencyStackName',
    settings.dependencyStackName,
  );
  if (dependencyProblem) {
    problems.push(dependencyProblem.message);
  }

  const target = readSchema('targetSchema', settings.targetSchema, problems);
  if (domainFields && target.length > 0) {
    checkRequiredFields(
      'targetSchema',
      target,
      [
        { name: 'timestamp', types: ['timestamp'] },
        { name: domainFields.id, types: ['string'] },
        { name: domainFields.target, types: ['float', 'integer'] },
      ],
      problems,
    );
  }

  for (const [field, value] of [
    ['dataFrequency', settings.dataFrequency],
    ['forecastFrequency', settings.forecastFrequency ?? settings.dataFrequency],
  ] as const) {
    if (!isValidFrequency(value)) {
      problems.push(
        `${field} "${value}" is not an Amazon Forecast frequency: use Y, M, W, D, H or min, optionally with a multiple (for example 15min, 2H, 3M)`,
      );
    }
  }

  if (!TIMESTAMP_FORMATS.includes(settings.timestampFormat)) {
    problems.push(
      `timestampFormat "${
        settings.timestampFormat
      }" is not supported: use ${TIMESTAMP_FORMATS.join(' or ')}`,
    );
  } else if (
    /(H|min)$/.test(settings.dataFrequency) &&
    settings.timestampFormat !== 'yyyy-MM-dd HH:mm:ss'
  ) {
    problems.push(
      `timestampFormat "${settings.timestampFormat}" has no time of day, but dataFrequency ${settings.dataFrequency} needs one: use yyyy-MM-dd HH:mm:ss`,
    );
  }

  let related: ReturnType<typeof readSchema> = [];
  if (settings.includeRelatedTimeSeries) {
    related = readSchema(
      'relatedTimeSeriesSchema',
      settings.relatedTimeSeriesSchema,
      problems,
    );
    if (domainFields && related.length > 0) {
      checkRequiredFields(
        'relatedTimeSeriesSchema',
        related,
        [
          { name: 'timestamp', types: ['timestamp'] },
          { name: domainFields.id, types: ['string'] },
        ],
        problems,
      );
    }
    const relatedFrequency =
      settings.relatedDataFrequency ?? settings.dataFrequency;
    if (!isValidFrequency(relatedFrequency)) {
      problems.push(
        `relatedDataFrequency "${relatedFrequency}" is not an Amazon Forecast frequency`,
      );
    }
  }

  let itemMetadata: ReturnType<typeof readSchema> = [];
  if (settings.includeItemMetadata) {
    itemMetadata = readSchema(
      'itemMetadataSchema',
      settings.itemMetadataSchema,
      problems,
    );
    if (domainFields && itemMetadata.length > 0) {
      checkRequiredFields(
        'itemMetadataSchema',
        itemMetadata,
        [{ name: domainFields.id, types: ['string'] }],
        problems,
      );
    }
  }

  const dimensions = settings.forecastDimensions
    .map(dimension => dimension.trim())
    .filter(Boolean);
  for (const dimension of dimensions) {
    const column = target.find(a => a.AttributeName === dimension);
    if (!column) {
      problems.push(
        `forecastDimensions lists "${dimension}", which is not a column of targetSchema`,
      );
    } else if (column.AttributeType !== 'string') {
      problems.push(
        `forecastDimensions column "${dimension}" must be of type string, not ${column.AttributeType}`,
      );
    }
  }

  if (
    !Number.isInteger(settings.forecastHorizon) ||
    settings.forecastHorizon < 1 ||
    settings.forecastHorizon > MAX_FORECAST_HORIZON
  ) {
    problems.push(
      `forecastHorizon ${settings.forecastHorizon} must be a whole number of forecast periods from 1 to ${MAX_FORECAST_HORIZON}`,
    );
  }

  const quantiles = settings.quantiles.map(q => q.trim()).filter(Boolean);
  if (quantiles.length === 0 || quantiles.length > MAX_FORECAST_TYPES) {
    problems.push(
      `quantiles must list 1 to ${MAX_FORECAST_TYPES} forecast types (it has ${quantiles.length})`,
    );
  }
  for (const quantile of quantiles) {
    const number = Number(quantile);
    if (
      !QUANTILE_PATTERN.test(quantile) ||
      (quantile !== 'mean' && (number < 0.01 || number > 0.99))
    ) {
      problems.push(
        `quantile "${quantile}" is invalid: use a value from 0.01 to 0.99 with at most two decimals (such as 0.1 or 0.95), or mean`,
      );
    }
  }

  const email = settings.notificationEmail?.trim() ?? '';
  if (email && !EMAIL_PATTERN.test(email)) {
    problems.push(
      `notificationEmail "${email}" is not an e-mail address; leave it empty for no e-mails`,
    );
  }

  const scheduleExpression = toScheduleExpression(
    settings.schedule,
    settings.scheduleExpression,
    problems,
  );
  const attributeConfigs = readAttributeConfigs(
    settings.attributeConfigs,
    problems,
  );

  if (
    !Number.isInteger(settings.predictorMaxAgeDays) ||
    settings.predictorMaxAgeDays < 1
  ) {
    problems.push(
      `predictorMaxAgeDays ${settings.predictorMaxAgeDays} must be a whole number of days, at least 1`,
    );
  }

  let inputDataPrefix =
    settings.inputDataPrefix?.trim() || `${names.stackName}/input/`;
  if (inputDataPrefix.startsWith('s3://') || inputDataPrefix.startsWith('/')) {
    problems.push(
      `inputDataPrefix "${inputDataPrefix}" must be a key prefix inside the dependency bucket, without s3:// or a leading slash (for example ${names.stackName}/input/)`,
    );
  }
  if (!inputDataPrefix.endsWith('/')) {
    inputDataPrefix = `${inputDataPrefix}/`;
  }

  if (problems.length > 0) {
    throw new InputError(
      `Invalid inputs for workload "${names.entityName}": ${problems.join(
        '; ',
      )}`,
    );
  }

  return {
    DependencyStackName: settings.dependencyStackName,
    DatasetGroupName: names.datasetGroupName,
    Domain: settings.domain,
    TargetTimeSeriesSchema: schemaJson(target),
    IncludeRelatedTimeSeries: String(settings.includeRelatedTimeSeries),
    ...(settings.includeRelatedTimeSeries
      ? {
          RelatedTimeSeriesSchema: schemaJson(related),
          RelatedDataFrequency:
            settings.relatedDataFrequency ?? settings.dataFrequency,
        }
      : {}),
    IncludeItemMetadata: String(settings.includeItemMetadata),
    ...(settings.includeItemMetadata
      ? { ItemMetadataSchema: schemaJson(itemMetadata) }
      : {}),
    DataFrequency: settings.dataFrequency,
    TimestampFormat: settings.timestampFormat,
    ForecastDimensions: dimensions.join(','),
    ForecastFrequency: settings.forecastFrequency ?? settings.dataFrequency,
    ForecastHorizon: String(settings.forecastHorizon),
    TrainingForecastTypes: quantiles.join(','),
    ForecastTypes: quantiles.join(','),
    OptimizationMetric: settings.optimizationMetric,
    ExplainPredictor: String(settings.explainPredictor),
    AttributeConfigs: attributeConfigs,
    ImportMode: settings.importMode,
    InputDataPrefix: inputDataPrefix,
    NotificationEmail: email,
    ScheduleExpression: scheduleExpression,
    PredictorMaxAgeDays: String(settings.predictorMaxAgeDays),
  };
}
