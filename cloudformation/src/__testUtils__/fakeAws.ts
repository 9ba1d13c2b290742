/**
 * In-memory stand-ins for the services the state machines call (Amazon
 * Forecast, SSM Parameter Store, S3 and SNS). They check the request fields
 * the real APIs check (names, required fields, unknown ARNs, duplicates) and
 * throw errors named as Step Functions names them (`Forecast.<Code>`).
 */

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const FORECAST_NAME = /^[a-zA-Z][a-zA-Z0-9_]*$/;

export class ServiceError extends Error {
  constructor(service: string, code: string, message: string) {
    super(message);
    this.name = `${service}.${code}`;
  }
}

type Json = Record<string, any>;

type Resource = Json & {
  Status: string;
  /** Describe calls left before the resource leaves CREATE_IN_PROGRESS. */
  pendingChecks: number;
  /** Terminal status once pendingChecks reaches 0. */
  finalStatus: string;
  finalMessage?: string;
};

export type PredictorScore = {
  WAPE?: number;
  RMSE?: number;
  MASE?: number;
  MAPE?: number;
  AverageWeightedQuantileLoss?: number;
};

export type Call = { resource: string; input: Json };

function forecastArn(path: string): string {
  return `arn:aws:forecast:${REGION}:${ACCOUNT}:${path}`;
}

/** ULID-like suffix AutoPredictor appends to predictor ARNs. */
function ulid(): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  return Array.from(
    { length: 26 },
    () => alphabet[Math.floor(Math.random() * 32)],
  ).join('');
}

export class FakeAws {
  readonly calls: Call[] = [];
  readonly parameters = new Map<string, string>();
  readonly objects = new Map<string, string>();
  readonly published: Json[] = [];
  readonly resources = new Map<string, Resource>();
  /** Import jobs of these dataset names end in CREATE_FAILED with the message. */
  readonly failingImports = new Map<string, string>();
  /** Accuracy of predictors created from now on, by predictor name prefix. */
  nextPredictorScore: PredictorScore = {
    WAPE: 0.2,
    RMSE: 10,
    MASE: 0.9,
    MAPE: 0.25,
    AverageWeightedQuantileLoss: 0.15,
  };
  /** How many describe calls a new resource stays CREATE_IN_PROGRESS. */
  checksUntilDone = 1;

  async invoke(resource: string, input: Json): Promise<Json> {
    this.calls.push({ resource, input: JSON.parse(JSON.stringify(input)) });
    const match = /^arn:aws:states:::(?:aws-sdk:)?(\w+):(\w+)$/.exec(resource);
    if (!match) {
      throw new Error(`FakeAws does not handle ${resource}`);
    }
    const [, service, operation] = match;
    const handler = (this as any)[`${service}_${operation}`];
    if (typeof handler !== 'function') {
      throw new Error(`FakeAws does not handle ${service}:${operation}`);
    }
    return handler.call(this, input);
  }

  callsTo(operation: string): Json[] {
    return this.calls
      .filter(call => call.resource.endsWith(`:${operation}`))
      .map(call => call.input);
  }

  // SSM Parameter Store

  ssm_getParameter(input: Json) {
    const value = this.parameters.get(input.Name);
    if (value === undefined) {
      throw new ServiceError(
        'Ssm',
        'ParameterNotFoundException',
        `Parameter ${input.Name} not found.`,
      );
    }
    return {
      Parameter: { Name: input.Name, Type: 'String', Value: value, Version: 1 },
    };
  }

  ssm_getParametersByPath(input: Json) {
    const max = input.MaxResults ?? 10;
    if (max > 10) {
      throw new ServiceError(
        'Ssm',
        'ValidationException',
        'MaxResults must be at most 10.',
      );
    }
    const prefix = `${input.Path.replace(/\/$/, '')}/`;
    const names = [...this.parameters.keys()].filter(
      name =>
        name.startsWith(prefix) &&
        (input.Recursive || !name.slice(prefix.length).includes('/')),
    );
    const page = names.slice(0, max).map(name => ({
      Name: name,
      Type: 'String',
      Value: this.parameters.get(name),
      Version: 1,
    }));
    return names.length > max
      ? { Parameters: page, NextToken: 'more' }
      : { Parameters: page };
  }

  ssm_putParameter(input: Json) {
    if (this.parameters.has(input.Name) && input.Overwrite !== true) {
      throw new ServiceError(
        'Ssm',
        'ParameterAlreadyExistsException',
        `Parameter ${input.Name} already exists.`,
      );
    }
    if (typeof input.Value !== 'string' || input.Value.length === 0) {
      throw new ServiceError(
        'Ssm',
        'ValidationException',
        'Value must be a non-empty string.',
      );
    }
    this.parameters.set(input.Name, input.Value);
    return { Version: 2, Tier: 'Standard' };
  }

  // S3 and SNS

  s3_listObjectsV2(input: Json) {
    const keys = [...this.objects.keys()]
      .filter(key => key.startsWith(`${input.Bucket}/${input.Prefix ?? ''}`))
      .map(key => key.slice(input.Bucket.length + 1))
      .slice(0, input.MaxKeys ?? 1000);
    return keys.length
      ? {
          KeyCount: keys.length,
          Contents: keys.map(Key => ({ Key, Size: 10 })),
        }
      : { KeyCount: 0 };
  }

  sns_publish(input: Json) {
    if (!input.TopicArn || !input.Message) {
      throw new ServiceError(
        'Sns',
        'InvalidParameterException',
        'TopicArn and Message are required.',
      );
    }
    if (input.Subject && input.Subject.length > 100) {
      throw new ServiceError(
        'Sns',
        'InvalidParameterException',
        'Subject must be at most 100 characters.',
      );
    }
    this.published.push(input);
    return { MessageId: `message-${this.published.length}` };
  }

  // Amazon Forecast

  private checkName(field: string, value: unknown) {
    if (
      typeof value !== 'string' ||
      !FORECAST_NAME.test(value) ||
      value.length > 63
    ) {
      throw new ServiceError(
        'Forecast',
        'InvalidInputException',
        `${field} ${JSON.stringify(
          value,
        )} must match [a-zA-Z][a-zA-Z0-9_]* and have at most 63 characters.`,
      );
    }
  }

  private require(input: Json, ...fields: string[]) {
    for (const field of fields) {
      if (input[field] === undefined) {
        throw new ServiceError(
          'Forecast',
          'InvalidInputException',
          `${field} is required.`,
        );
      }
    }
  }

  private add(
    arn: string,
    fields: Json,
    options: { immediate?: boolean; status?: string; message?: string } = {},
  ): string {
    if (this.resources.has(arn)) {
      throw new ServiceError(
        'Forecast',
        'ResourceAlreadyExistsException',
        `A resource with the ARN ${arn} already exists.`,
      );
    }
    const now = new Date().toISOString();
    this.resources.set(arn, {
      ...fields,
      Status: options.immediate ? 'ACTIVE' : 'CREATE_PENDING',
      CreationTime: now,
      LastModificationTime: now,
      pendingChecks: options.immediate ? 0 : this.checksUntilDone,
      finalStatus: options.status ?? 'ACTIVE',
      finalMessage: options.message,
    });
    return arn;
  }

  private get(arn: unknown): Resource {
    const resource =
      typeof arn === 'string' ? this.resources.get(arn) : undefined;
    if (!resource) {
      throw new ServiceError(
        'Forecast',
        'ResourceNotFoundException',
        `No resource found with the ARN ${String(arn)}.`,
      );
    }
    return resource;
  }

  /** Advances a resource one describe call and returns its public fields. */
  private describe(arn: unknown): Json {
    const resource = this.get(arn);
    if (resource.Status !== 'ACTIVE' && !resource.Status.endsWith('FAILED')) {
      if (resource.pendingChecks > 0) {
        resource.pendingChecks -= 1;
        resource.Status = 'CREATE_IN_PROGRESS';
      } else {
        resource.Status = resource.finalStatus;
        if (resource.finalMessage) resource.Message = resource.finalMessage;
      }
    }
    const { pendingChecks, finalStatus, finalMessage, score, ...fields } =
      resource;
    return fields;
  }

  /** Adds a predictor as if trained earlier, for the selection tests. */
  addPredictor(
    name: string,
    datasetGroupArn: string,
    creationTime: Date,
    score: PredictorScore,
    status = 'ACTIVE',
  ): string {
    const arn = forecastArn(`predictor/${name}_${ulid()}`);
    this.resources.set(arn, {
      PredictorArn: arn,
      PredictorName: name,
      DatasetGroupArn: datasetGroupArn,
      Status: status,
      CreationTime: creationTime.toISOString(),
      LastModificationTime: creationTime.toISOString(),
      pendingChecks: 0,
      finalStatus: status,
      score,
    });
    return arn;
  }

  forecast_createDataset(input: Json) {
    this.require(input, 'DatasetName', 'Domain', 'DatasetType', 'Schema');
    this.checkName('DatasetName', input.DatasetName);
    if (input.DatasetType === 'RELATED_TIME_SERIES' && !input.DataFrequency) {
      throw new ServiceError(
        'Forecast',
        'InvalidInputException',
        'DataFrequency is required for a related time series.',
      );
    }
    if (!Array.isArray(input.Schema?.Attributes)) {
      throw new ServiceError(
        'Forecast',
        'InvalidInputException',
        'Schema.Attributes must be a list.',
      );
    }
    const arn = forecastArn(`dataset/${input.DatasetName}`);
    return {
      DatasetArn: this.add(
        arn,
        { DatasetArn: arn, ...input },
        { immediate: true },
      ),
    };
  }

  forecast_describeDataset(input: Json) {
    return this.describe(input.DatasetArn);
  }

  forecast_createDatasetGroup(input: Json) {
    this.require(input, 'DatasetGroupName', 'Domain');
    this.checkName('DatasetGroupName', input.DatasetGroupName);
    for (const arn of input.DatasetArns ?? []) this.get(arn);
    const arn = forecastArn(`dataset-group/${input.DatasetGroupName}`);
    return {
      DatasetGroupArn: this.add(arn, {
        DatasetGroupArn: arn,
        DatasetArns: [],
        ...input,
      }),
    };
  }

  forecast_describeDatasetGroup(input: Json) {
    return this.describe(input.DatasetGroupArn);
  }

  forecast_updateDatasetGroup(input: Json) {
    this.require(input, 'DatasetGroupArn', 'DatasetArns');
    const group = this.get(input.DatasetGroupArn);
    for (const arn of input.DatasetArns) this.get(arn);
    group.DatasetArns = input.DatasetArns;
    return {};
  }

  forecast_createDatasetImportJob(input: Json) {
    this.require(input, 'DatasetImportJobName', 'DatasetArn', 'DataSource');
    this.checkName('DatasetImportJobName', input.DatasetImportJobName);
    const dataset = this.get(input.DatasetArn);
    const path: string = input.DataSource?.S3Config?.Path;
    if (
      !/^s3:\/\/[a-z0-9].+$/.test(path ?? '') ||
      !input.DataSource.S3Config.RoleArn
    ) {
      throw new ServiceError(
        'Forecast',
        'InvalidInputException',
        'DataSource.S3Config needs an s3:// Path and a RoleArn.',
      );
    }
    if (!['FULL', 'INCREMENTAL'].includes(input.ImportMode ?? 'FULL')) {
      throw new ServiceError(
        'Forecast',
        'InvalidInputException',
        `ImportMode ${input.ImportMode} is invalid.`,
      );
    }
    const arn = forecastArn(
      `dataset-import-job/${dataset.DatasetName}/${input.DatasetImportJobName}`,
    );
    const message = this.failingImports.get(dataset.DatasetName);
    return {
      DatasetImportJobArn: this.add(
        arn,
        { DatasetImportJobArn: arn, ...input },
        message ? { status: 'CREATE_FAILED', message } : {},
      ),
    };
  }

  forecast_describeDatasetImportJob(input: Json) {
    return this.describe(input.DatasetImportJobArn);
  }

  forecast_createAutoPredictor(input: Json) {
    this.require(input, 'PredictorName');
    this.checkName('PredictorName', input.PredictorName);
    let fields: Json;
    if (input.ReferencePredictorArn !== undefined) {
      const reference = this.get(input.ReferencePredictorArn);
      if (
        input.ForecastHorizon !== undefined ||
        input.DataConfig !== undefined
      ) {
        throw new ServiceError(
          'Forecast',
          'InvalidInputException',
          'A retrain takes only PredictorName and ReferencePredictorArn.',
        );
      }
      fields = {
        ...reference,
        ReferencePredictorSummary: {
          Arn: input.ReferencePredictorArn,
          State: 'Active',
        },
      };
    } else {
      this.require(input, 'ForecastHorizon', 'ForecastFrequency', 'DataConfig');
      this.get(input.DataConfig.DatasetGroupArn);
      if (!Number.isInteger(input.ForecastHorizon)) {
        throw new ServiceError(
          'Forecast',
          'InvalidInputException',
          'ForecastHorizon must be an integer.',
        );
      }
      if (input.DataConfig.AttributeConfigs?.length === 0) {
        throw new ServiceError(
          'Forecast',
          'InvalidInputException',
          'AttributeConfigs must have at least 1 item.',
        );
      }
      if (input.ForecastDimensions?.length === 0) {
        throw new ServiceError(
          'Forecast',
          'InvalidInputException',
          'ForecastDimensions must have at least 1 item.',
        );
      }
      for (const type of input.ForecastTypes ?? []) {
        if (!/(^0?\.\d\d?$|^mean$)/.test(type)) {
          throw new ServiceError(
            'Forecast',
            'InvalidInputException',
            `Forecast type ${type} is invalid.`,
          );
        }
      }
      fields = { ...input, DatasetGroupArn: input.DataConfig.DatasetGroupArn };
    }
    for (const resource of this.resources.values()) {
      if (resource.PredictorName === input.PredictorName) {
        throw new ServiceError(
          'Forecast',
          'ResourceAlreadyExistsException',
          `A predictor named ${input.PredictorName} already exists.`,
        );
      }
    }
    const arn = forecastArn(`predictor/${input.PredictorName}_${ulid()}`);
    this.add(arn, {
      ...fields,
      PredictorArn: arn,
      PredictorName: input.PredictorName,
      ReferencePredictorArn: undefined,
      score: this.nextPredictorScore,
    });
    return { PredictorArn: arn };
  }

  forecast_describeAutoPredictor(input: Json) {
    return this.describe(input.PredictorArn);
  }

  forecast_listPredictors(input: Json) {
    let predictors = [...this.resources.values()].filter(
      resource =>
        resource.PredictorArn &&
        resource.PredictorName &&
        !resource.ForecastArn &&
        !resource.PredictorBacktestExportJobArn &&
        !resource.ExplainabilityArn,
    );
    for (const filter of input.Filters ?? []) {
      const field =
        filter.Key === 'DatasetGroupArn' ? 'DatasetGroupArn' : 'Status';
      predictors = predictors.filter(
        predictor =>
          (predictor[field] === filter.Value) === (filter.Condition === 'IS'),
      );
    }
    return {
      Predictors: predictors
        .slice(0, input.MaxResults ?? 100)
        .map(predictor => ({
          PredictorArn: predictor.PredictorArn,
          PredictorName: predictor.PredictorName,
          DatasetGroupArn: predictor.DatasetGroupArn,
          IsAutoPredictor: true,
          Status: predictor.Status,
          CreationTime: predictor.CreationTime,
          LastModificationTime: predictor.LastModificationTime,
        })),
    };
  }

  forecast_getAccuracyMetrics(input: Json) {
    const predictor = this.get(input.PredictorArn);
    if (predictor.Status !== 'ACTIVE') {
      throw new ServiceError(
        'Forecast',
        'ResourceInUseException',
        `Predictor ${input.PredictorArn} is ${predictor.Status}.`,
      );
    }
    const score: PredictorScore = predictor.score ?? {};
    const metrics = {
      RMSE: score.RMSE,
      WeightedQuantileLosses: [
        { Quantile: 0.5, LossValue: score.AverageWeightedQuantileLoss },
      ],
      ErrorMetrics: [
        {
          ForecastType: '0.5',
          WAPE: (score.WAPE ?? 0) + 1,
          RMSE: score.RMSE,
          MASE: (score.MASE ?? 0) + 1,
          MAPE: (score.MAPE ?? 0) + 1,
        },
        {
          ForecastType: 'mean',
          WAPE: score.WAPE,
          RMSE: score.RMSE,
          MASE: score.MASE,
          MAPE: score.MAPE,
        },
      ],
      AverageWeightedQuantileLoss: score.AverageWeightedQuantileLoss,
    };
    return {
      PredictorEvaluationResults: [
        {
          TestWindows: [
            { EvaluationType: 'SUMMARY', Metrics: metrics },
            {
              EvaluationType: 'COMPUTED',
              TestWindowStart: '2024-01-01T00:00:00Z',
              TestWindowEnd: '2024-01-15T00:00:00Z',
              ItemCount: 3,
              Metrics: metrics,
            },
          ],
        },
      ],
      IsAutoPredictor: true,
      OptimizationMetric: 'AverageWeightedQuantileLoss',
    };
  }

  forecast_createPredictorBacktestExportJob(input: Json) {
    this.require(
      input,
      'PredictorBacktestExportJobName',
      'PredictorArn',
      'Destination',
    );
    this.checkName(
      'PredictorBacktestExportJobName',
      input.PredictorBacktestExportJobName,
    );
    const predictor = this.get(input.PredictorArn);
    const arn = forecastArn(
      `predictor-backtest-export-job/${predictor.PredictorName}/${input.PredictorBacktestExportJobName}`,
    );
    this.writeExport(input.Destination, [
      'forecasted-values/part0.csv',
      'accuracy-metrics-values/part0.csv',
    ]);
    return {
      PredictorBacktestExportJobArn: this.add(arn, {
        PredictorBacktestExportJobArn: arn,
        ...input,
      }),
    };
  }

  forecast_describePredictorBacktestExportJob(input: Json) {
    return this.describe(input.PredictorBacktestExportJobArn);
  }

  forecast_createExplainability(input: Json) {
    this.require(
      input,
      'ExplainabilityName',
      'ResourceArn',
      'ExplainabilityConfig',
    );
    this.checkName('ExplainabilityName', input.ExplainabilityName);
    this.get(input.ResourceArn);
    const arn = forecastArn(`explainability/${input.ExplainabilityName}`);
    return {
      ExplainabilityArn: this.add(arn, { ExplainabilityArn: arn, ...input }),
    };
  }

  forecast_describeExplainability(input: Json) {
    return this.describe(input.ExplainabilityArn);
  }

  forecast_createForecast(input: Json) {
    this.require(input, 'ForecastName', 'PredictorArn');
    this.checkName('ForecastName', input.ForecastName);
    const predictor = this.get(input.PredictorArn);
    if (predictor.Status !== 'ACTIVE') {
      throw new ServiceError(
        'Forecast',
        'ResourceInUseException',
        `Predictor ${input.PredictorArn} is ${predictor.Status}.`,
      );
    }
    const arn = forecastArn(`forecast/${input.ForecastName}`);
    return { ForecastArn: this.add(arn, { ForecastArn: arn, ...input }) };
  }

  forecast_describeForecast(input: Json) {
    return this.describe(input.ForecastArn);
  }

  forecast_createForecastExportJob(input: Json) {
    this.require(input, 'ForecastExportJobName', 'ForecastArn', 'Destination');
    this.checkName('ForecastExportJobName', input.ForecastExportJobName);
    const forecast = this.get(input.ForecastArn);
    const arn = forecastArn(
      `forecast-export-job/${forecast.ForecastName}/${input.ForecastExportJobName}`,
    );
    this.writeExport(input.Destination, [
      `${input.ForecastExportJobName}_2026-01-01T00-00-00Z_part0.csv`,
    ]);
    return {
      ForecastExportJobArn: this.add(arn, {
        ForecastExportJobArn: arn,
        ...input,
      }),
    };
  }

  forecast_describeForecastExportJob(input: Json) {
    return this.describe(input.ForecastExportJobArn);
  }

  private writeExport(destination: Json, files: string[]) {
    const path: string = destination?.S3Config?.Path ?? '';
    if (!path.startsWith('s3://') || !destination.S3Config.RoleArn) {
      throw new ServiceError(
        'Forecast',
        'InvalidInputException',
        'Destination.S3Config needs an s3:// Path and a RoleArn.',
      );
    }
    const prefix = path.slice('s3://'.length);
    for (const file of files) {
      this.objects.set(`${prefix}${file}`, 'item_id,date,p50\n');
    }
  }
}
