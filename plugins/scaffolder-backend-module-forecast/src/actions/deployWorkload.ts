import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { z as zod } from 'zod/v3';
import { InputError } from '@backstage/errors';
import { readStackOutputs } from '../stacks/readStackOutputs';
import { buildStackTags } from '../stacks/stackTags';
import { DEFAULT_TARGET_SCHEMA } from '../workload/datasetSchema';
import { createRedactingLogger } from '../redactingLogger';
import {
  buildWorkloadParameters,
  deriveCheckedWorkloadNames,
} from '../workload/workloadParameters';
import { DEFAULT_DEPENDENCY_STACK_NAME } from './deployDependency';
import {
  ForecastActionOptions,
  parseActionInput,
  resolveOptions,
} from './options';
import { runStackDeployment, stackConsoleUrl } from './runStackDeployment';

/** Workload stack outputs holding state machine ARNs, by pipeline key. */
export const PIPELINE_OUTPUT_KEYS = {
  'create-dataset-group': 'CreateDatasetGroupStateMachineArn',
  'import-data': 'ImportDataStateMachineArn',
  'train-predictor': 'TrainPredictorStateMachineArn',
  'select-predictor': 'SelectPredictorStateMachineArn',
  'create-forecast': 'CreateForecastStateMachineArn',
  workflow: 'WorkflowStateMachineArn',
} as const;

export type PipelineKey = keyof typeof PIPELINE_OUTPUT_KEYS;

const attributeSchema = (z: typeof zod) =>
  z.object({ AttributeName: z.string(), AttributeType: z.string() });

const schemaInput = (z: typeof zod, description: string) =>
  z.union(
    [
      z.string(),
      z.array(attributeSchema(z)),
      z.object({ Attributes: z.array(attributeSchema(z)) }),
    ],
    { description },
  );

const listInput = (z: typeof zod, description: string) =>
  z
    .union([z.string(), z.array(z.union([z.string(), z.number()]))], {
      description,
    })
    .transform(value =>
      (typeof value === 'string' ? value.split(',') : value)
        .map(item => String(item).trim())
        .filter(Boolean),
    );

const workloadInputSchema = (z: typeof zod) =>
  z.object({
    name: z.string({
      description:
        'Workload name, for example weekly-demand. The stack is forecast-<name>, the dataset group <name> with underscores.',
    }),
    owner: z.string({ description: 'Owner entity ref of the catalog entity' }),
    title: z.string({ description: 'Title shown in the catalog' }).optional(),
    description: z
      .string({ description: 'Description shown in the catalog' })
      .optional(),
    accountId: z
      .string({
        description: 'AWS account; defaults to forecast.aws.accountId',
      })
      .optional(),
    region: z
      .string({
        description: 'AWS region; defaults to forecast.aws.region',
      })
      .optional(),
    dependencyStackName: z
      .string({
        description:
          'Dependency stack whose bucket and roles the workload uses',
      })
      .default(DEFAULT_DEPENDENCY_STACK_NAME),
    domain: z
      .string({ description: 'Amazon Forecast domain' })
      .default('CUSTOM'),
    targetSchema: schemaInput(
      z,
      'Target time series schema: JSON text, an attribute list or {Attributes}. Defaults to timestamp, target_value, item_id.',
    ).default(DEFAULT_TARGET_SCHEMA),
    dataFrequency: z
      .string({
        description: 'Frequency of the data, for example H or D',
      })
      .default('H'),
    timestampFormat: z
      .string({ description: 'Timestamp format of the CSV files' })
      .default('yyyy-MM-dd HH:mm:ss'),
    includeRelatedTimeSeries: z
      .boolean({ description: 'Import a related time series' })
      .default(false),
    relatedTimeSeriesSchema: schemaInput(
      z,
      'Related time series schema',
    ).optional(),
    relatedDataFrequency: z
      .string({ description: 'Frequency of the related time series' })
      .optional(),
    includeItemMetadata: z
      .boolean({ description: 'Import item metadata' })
      .default(false),
    itemMetadataSchema: schemaInput(z, 'Item metadata schema').optional(),
    forecastDimensions: listInput(
      z,
      'Extra dimensions besides the item id',
    ).default([]),
    forecastFrequency: z
      .string({
        description:
          'Frequency of the forecast; defaults to the data frequency',
      })
      .optional(),
    forecastHorizon: z
      .number({
        description: 'Number of forecast periods to predict',
      })
      .default(24),
    quantiles: listInput(
      z,
      'Forecast types: quantiles such as 0.1,0.5,0.9, or mean',
    ).default(['0.1', '0.5', '0.9']),
    optimizationMetric: z
      .enum(['WAPE', 'RMSE', 'AverageWeightedQuantileLoss', 'MASE', 'MAPE'])
      .default('AverageWeightedQuantileLoss'),
    explainPredictor: z
      .boolean({ description: 'Compute predictor explainability' })
      .default(false),
    attributeConfigs: z
      .union([z.string(), z.array(z.unknown())], {
        description:
          'Filling and aggregation settings (AttributeConfigs JSON list)',
      })
      .optional(),
    importMode: z.enum(['FULL', 'INCREMENTAL']).default('FULL'),
    inputDataPrefix: z
      .string({
        description:
          'Key prefix of the input data in the dependency bucket; defaults to <stack name>/input/',
      })
      .optional(),
    notificationEmail: z
      .string({ description: 'E-mail address for run notifications' })
      .optional(),
    schedule: z
      .enum(['none', 'daily', 'weekly', 'monthly', 'custom'])
      .default('none'),
    scheduleExpression: z
      .string({
        description:
          'Cron or rate expression when schedule is custom, for example cron(0 6 * * ? *)',
      })
      .optional(),
    predictorMaxAgeDays: z
      .number({
        description:
          'Age in days after which a predictor is retrained instead of reused',
      })
      .default(30),
    recreateIfRolledBack: z
      .boolean({
        description:
          'Delete and recreate the stack when an earlier creation left it in ROLLBACK_COMPLETE',
      })
      .default(false),
    timeoutMinutes: z
      .number({ description: 'Maximum wait for the stack, in minutes' })
      .int()
      .positive()
      .default(30),
  });

/**
 * Creates the `forecast:workload:deploy` action, which deploys one workload
 * stack: the state machines of the pipelines, their settings, an optional
 * schedule and notifications.
 */
export function createDeployWorkloadAction(options: ForecastActionOptions) {
  const resolved = resolveOptions(options);

  return createTemplateAction({
    id: 'forecast:workload:deploy',
    description:
      'Creates or updates an Amazon Forecast workload stack (pipelines, schedule, notifications), streaming the stack events to the task log.',
    supportsDryRun: true,
    examples: [
      {
        description: 'Deploy an hourly workload with the default settings',
        example: [
          'steps:',
          '  - id: deploy',
          '    action: forecast:workload:deploy',
          '    input:',
          '      name: weekly-demand',
          '      owner: group:default/analytics',
          '      forecastHorizon: 24',
        ].join('\n'),
      },
    ],
    schema: {
      input: workloadInputSchema,
      output: {
        stackId: z => z.string().optional(),
        stackName: z => z.string(),
        status: z => z.string().optional(),
        operation: z => z.string().optional(),
        datasetGroupName: z => z.string(),
        entityRef: z => z.string(),
        consoleUrl: z => z.string(),
        stateMachineArns: z => z.record(z.string()).optional(),
        bucketName: z => z.string().optional(),
        inputDataPath: z => z.string().optional(),
        inputDataPrefix: z => z.string(),
        scheduleName: z => z.string().optional(),
        notificationTopicArn: z => z.string().optional(),
      },
    },
    async handler(rawCtx) {
      const ctx = {
        ...rawCtx,
        input: parseActionInput(workloadInputSchema(zod), rawCtx.input),
      };
      const logger = createRedactingLogger(
        ctx.logger,
        Object.values(ctx.secrets ?? {}),
      );
      const names = deriveCheckedWorkloadNames(ctx.input.name);
      const parameters = buildWorkloadParameters(ctx.input, names);
      const { accountId, region } = resolved.clientFactory.resolveTarget({
        accountId: ctx.input.accountId,
        region: ctx.input.region,
      });

      const entityRef = `component:default/${names.entityName}`;
      const outcome = await runStackDeployment(
        resolved,
        { ...ctx, logger },
        {
          role: 'workload',
          templateName: 'forecast-workload',
          stackName: names.stackName,
          accountId,
          region,
          parameters,
          tags: buildStackTags({
            role: 'workload',
            entityRef,
            owner: ctx.input.owner,
            title: ctx.input.title || names.entityName,
            description: ctx.input.description,
            template: ctx.templateInfo?.entityRef,
            createdBy: ctx.user?.ref,
          }),
          recreateIfRolledBack: ctx.input.recreateIfRolledBack,
          timeoutMinutes: ctx.input.timeoutMinutes,
          stagingBucket: async () => {
            const dependencyOutputs = await readStackOutputs(
              resolved.clientFactory,
              { stackName: ctx.input.dependencyStackName, accountId, region },
              'run the dependency template first (action forecast:dependency:deploy), or set dependencyStackName to an existing dependency stack',
            );
            if (!dependencyOutputs.BucketName) {
              throw new InputError(
                `Dependency stack ${ctx.input.dependencyStackName} has no BucketName output; is it a stack of the forecast-dependency template?`,
              );
            }
            return dependencyOutputs.BucketName;
          },
          derivedNames: {
            'Stack name': names.stackName,
            'Dataset group name': names.datasetGroupName,
            'Catalog entity': entityRef,
            'Input data prefix': parameters.InputDataPrefix,
          },
        },
      );

      ctx.output('stackName', names.stackName);
      ctx.output('datasetGroupName', names.datasetGroupName);
      ctx.output('entityRef', entityRef);
      ctx.output('inputDataPrefix', parameters.InputDataPrefix);
      if (outcome.dryRun) {
        ctx.output('consoleUrl', stackConsoleUrl(region, names.stackName));
        return;
      }

      const stateMachineArns: Record<string, string> = {};
      for (const [key, outputKey] of Object.entries(PIPELINE_OUTPUT_KEYS)) {
        if (outcome.outputs[outputKey]) {
          stateMachineArns[key] = outcome.outputs[outputKey];
        }
      }
      ctx.output('stackId', outcome.stackId);
      ctx.output('status', outcome.status);
      ctx.output('operation', outcome.operation);
      ctx.output(
        'consoleUrl',
        stackConsoleUrl(region, names.stackName, outcome.stackId),
      );
      ctx.output('stateMachineArns', stateMachineArns);
      ctx.output('bucketName', outcome.outputs.BucketName);
      ctx.output('inputDataPath', outcome.outputs.InputDataPath);
      ctx.output('scheduleName', outcome.outputs.ScheduleName);
      ctx.output('notificationTopicArn', outcome.outputs.NotificationTopicArn);
    },
  });
}
