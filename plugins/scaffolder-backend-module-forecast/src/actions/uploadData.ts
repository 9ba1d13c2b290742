import { PutObjectCommand } from '@aws-sdk/client-s3';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { z as zod } from 'zod/v3';
import { checkStackName } from '@forecast-pipelines/plugin-forecast-common';
import { explainAwsError } from '../aws/awsErrors';
import { checkCsv, parseDataUrl, safeFileName } from '../data/dataFiles';
import { removeOtherFiles } from '../data/replaceFiles';
import { createRedactingLogger } from '../redactingLogger';
import { readStackValues } from '../stacks/readStackOutputs';
import { readSchema, SchemaInput } from '../workload/datasetSchema';
import {
  ForecastActionOptions,
  parseActionInput,
  resolveOptions,
} from './options';

/** Folders under the input prefix, per dataset type, that the import pipeline reads. */
export const DATASET_FOLDERS = {
  target: 'target/',
  related: 'related/',
  'item-metadata': 'item-metadata/',
} as const;

/** Workload template parameters holding each dataset's schema. */
const SCHEMA_PARAMETERS = {
  target: 'TargetTimeSeriesSchema',
  related: 'RelatedTimeSeriesSchema',
  'item-metadata': 'ItemMetadataSchema',
} as const;

/** The largest file the action accepts, in bytes. Larger files belong in S3 directly. */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

function parseS3Uri(uri: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) {
    throw new InputError(
      `InputDataPath output "${uri}" is not an s3:// URI; check the workload stack's outputs`,
    );
  }
  return { bucket: match[1], prefix: match[2] };
}

const uploadInputSchema = (z: typeof zod) =>
  z.object({
    stackName: z.string({
      description:
        'Workload stack, for example forecast-weekly-demand; its outputs give the bucket and prefix',
    }),
    dataset: z
      .enum(['target', 'related', 'item-metadata'], {
        description: 'Which dataset the file belongs to',
      })
      .default('target'),
    source: z
      .enum(['file', 'sample'], {
        description:
          'file: the data URL in "file"; sample: the generated demo data set',
      })
      .default('file'),
    file: z
      .string({
        description: 'The file as a data URL, as the form file field sends it',
      })
      .optional(),
    fileName: z
      .string({ description: 'Object name; defaults to the file name' })
      .optional(),
    schema: z
      .union([
        z.string(),
        z.array(
          z.object({
            AttributeName: z.string(),
            AttributeType: z.string(),
          }),
        ),
        z.object({
          Attributes: z.array(
            z.object({
              AttributeName: z.string(),
              AttributeType: z.string(),
            }),
          ),
        }),
      ])
      .optional()
      .describe(
        "Dataset schema the CSV columns are checked against; defaults to the workload stack's schema parameter",
      ),
    replaceExisting: z
      .boolean({
        description:
          "Delete the other files of this dataset's folder first. Defaults to true when the workload's ImportMode is FULL, where every file in the folder is imported.",
      })
      .optional(),
    accountId: z.string().optional(),
    region: z.string().optional(),
  });

/**
 * Creates the `forecast:data:upload` action, which puts a CSV file (from the
 * template form, or the generated sample data) under the input prefix of a
 * workload, in the folder of its dataset type.
 */
export function createUploadDataAction(options: ForecastActionOptions) {
  const resolved = resolveOptions(options);

  return createTemplateAction({
    id: 'forecast:data:upload',
    description:
      "Uploads a CSV file from the template form, or the generated sample data, into a workload's input prefix in S3.",
    supportsDryRun: true,
    schema: {
      input: uploadInputSchema,
      output: {
        bucketName: z => z.string().optional(),
        key: z => z.string().optional(),
        removedKeys: z => z.array(z.string()).optional(),
        s3Uri: z => z.string().optional(),
        rows: z => z.number(),
        bytes: z => z.number(),
      },
    },
    async handler(rawCtx) {
      const ctx = {
        ...rawCtx,
        input: parseActionInput(uploadInputSchema(zod), rawCtx.input),
      };
      const logger = createRedactingLogger(
        ctx.logger,
        Object.values(ctx.secrets ?? {}),
      );
      const stackProblem = checkStackName('stackName', ctx.input.stackName);
      if (stackProblem) {
        throw new InputError(stackProblem.message);
      }

      const problems: string[] = [];
      const schema = ctx.input.schema
        ? readSchema('schema', ctx.input.schema as SchemaInput, problems)
        : undefined;
      if (problems.length > 0) {
        throw new InputError(problems.join('; '));
      }

      let original: Buffer;
      let fileName: string;
      if (ctx.input.source === 'sample') {
        if (!resolved.sampleDataset) {
          throw new InputError(
            'source "sample" is not available in this installation: no sample data set is configured. Upload a file instead.',
          );
        }
        const sample = await resolved.sampleDataset(ctx.input.dataset);
        original = Buffer.from(sample.content);
        fileName = safeFileName(
          ctx.input.fileName ?? sample.fileName,
          'sample.csv',
        );
        logger.info(`Using the generated sample data set ${sample.fileName}`);
      } else {
        if (!ctx.input.file) {
          throw new InputError(
            'file is missing: choose a CSV file in the form, or use source "sample"',
          );
        }
        const parsed = parseDataUrl('file', ctx.input.file);
        original = parsed.content;
        fileName = safeFileName(
          ctx.input.fileName ?? parsed.name,
          `${ctx.input.dataset}.csv`,
        );
      }

      if (original.length > MAX_UPLOAD_BYTES) {
        throw new InputError(
          `file is ${original.length} bytes, more than the ${MAX_UPLOAD_BYTES} bytes this action uploads; copy it to the input prefix in S3 directly`,
        );
      }
      const { accountId, region } = resolved.clientFactory.resolveTarget({
        accountId: ctx.input.accountId,
        region: ctx.input.region,
      });

      if (ctx.isDryRun) {
        const checked = checkCsv('file', original, schema);
        logger.info(
          `Dry run: the file has ${checked.rows} rows${
            schema ? ' matching the schema' : ''
          }; it would go to <input prefix>${
            DATASET_FOLDERS[ctx.input.dataset]
          }${fileName} of stack ${ctx.input.stackName}. No AWS call was made.`,
        );
        ctx.output('rows', checked.rows);
        ctx.output('bytes', checked.content.length);
        return;
      }

      const { outputs, parameters } = await readStackValues(
        resolved.clientFactory,
        { stackName: ctx.input.stackName, accountId, region },
      );
      // Without a schema input, the stack's own schema parameter is used.
      const stackSchema = parameters[SCHEMA_PARAMETERS[ctx.input.dataset]];
      const effectiveSchema =
        schema ??
        (stackSchema
          ? readSchema(
              SCHEMA_PARAMETERS[ctx.input.dataset],
              stackSchema,
              problems,
            )
          : undefined);
      const checked = checkCsv(
        'file',
        original,
        effectiveSchema,
        ctx.input.dataset === 'item-metadata'
          ? undefined
          : parameters.TimestampFormat,
      );
      if (checked.headerRemoved) {
        logger.info(
          'The first row of the file is the column names; it was removed, because Amazon Forecast reads a header row as data',
        );
      }
      logger.info(
        `File ${fileName}: ${checked.rows} rows, ${
          checked.content.length
        } bytes${
          effectiveSchema
            ? `, columns ${effectiveSchema.map(a => a.AttributeName).join(',')}`
            : ''
        }`,
      );

      if (!outputs.InputDataPath) {
        throw new InputError(
          `Stack ${ctx.input.stackName} has no InputDataPath output; is it a workload stack deployed by forecast:workload:deploy?`,
        );
      }
      const { bucket, prefix } = parseS3Uri(outputs.InputDataPath);
      const normalizedPrefix =
        prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix;
      const key = `${normalizedPrefix}${
        DATASET_FOLDERS[ctx.input.dataset]
      }${fileName}`;

      const s3 = await resolved.clientFactory.s3({ accountId, region });
      let removedKeys: string[] = [];
      const replace =
        ctx.input.replaceExisting ?? parameters.ImportMode !== 'INCREMENTAL';
      if (replace) {
        const folder = `${normalizedPrefix}${
          DATASET_FOLDERS[ctx.input.dataset]
        }`;
        removedKeys = await removeOtherFiles(
          s3,
          { bucket, folder, keep: key },
          { accountId, region },
        );
        if (removedKeys.length > 0) {
          logger.info(
            `Removed ${
              removedKeys.length
            } earlier files from s3://${bucket}/${folder}, so the next import reads only ${fileName}: ${removedKeys
              .slice(0, 5)
              .join(', ')}${removedKeys.length > 5 ? ', ...' : ''}`,
          );
        }
      }
      logger.info(`Uploading ${fileName} to s3://${bucket}/${key}`);
      try {
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: checked.content,
            ContentType: 'text/csv',
          }),
        );
      } catch (error) {
        throw explainAwsError(error, {
          action: 's3:PutObject',
          accountId,
          region,
          resource: `s3://${bucket}/${key}`,
        });
      }
      logger.info(`Uploaded s3://${bucket}/${key}`);

      ctx.output('bucketName', bucket);
      ctx.output('key', key);
      ctx.output('removedKeys', removedKeys);
      ctx.output('s3Uri', `s3://${bucket}/${key}`);
      ctx.output('rows', checked.rows);
      ctx.output('bytes', checked.content.length);
    },
  });
}
