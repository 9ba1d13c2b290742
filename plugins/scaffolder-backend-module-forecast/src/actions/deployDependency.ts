import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { z as zod } from 'zod/v3';
import { checkStackName } from '@forecast-pipelines/plugin-forecast-common';
import { buildStackTags } from '../stacks/stackTags';
import { createRedactingLogger } from '../redactingLogger';
import {
  ForecastActionOptions,
  parseActionInput,
  resolveOptions,
} from './options';
import { runStackDeployment, stackConsoleUrl } from './runStackDeployment';

export const DEFAULT_DEPENDENCY_STACK_NAME = 'forecast-dependency';

/** S3 bucket names: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit. */
const BUCKET_NAME_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Checks an S3 bucket name and returns the broken rule, if any. */
export function checkBucketName(value: string): string | undefined {
  if (
    !BUCKET_NAME_PATTERN.test(value) ||
    value.includes('..') ||
    /^\d+\.\d+\.\d+\.\d+$/.test(value)
  ) {
    return `bucketName "${value}" is invalid: an S3 bucket name has 3 to 63 lowercase letters, digits, dots and hyphens, starts and ends with a letter or digit, has no ".." and is not an IP address`;
  }
  return undefined;
}

/** Builds the default bucket name from the stack name, account and region, which is unique across AWS. */
export function defaultBucketName(
  stackName: string,
  accountId: string,
  region: string,
): string {
  return [stackName.toLowerCase(), accountId, region]
    .filter(Boolean)
    .join('-')
    .slice(0, 63)
    .replace(/[-.]+$/, '');
}

const dependencyInputSchema = (z: typeof zod) =>
  z.object({
    stackName: z
      .string({ description: 'CloudFormation stack name' })
      .default(DEFAULT_DEPENDENCY_STACK_NAME),
    bucketName: z
      .string({
        description:
          'S3 bucket for input data and exports. Defaults to <stack name>-<account>-<region>.',
      })
      .optional(),
    useExistingBucket: z
      .boolean({
        description:
          'Use an existing bucket of that name instead of creating one',
      })
      .default(false),
    owner: z.string({
      description: 'Owner entity ref, for example group:default/platform',
    }),
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
 * Creates the `forecast:dependency:deploy` action, which deploys the
 * per-account dependency stack (the S3 bucket and the IAM roles the
 * workloads use).
 */
export function createDeployDependencyAction(options: ForecastActionOptions) {
  const resolved = resolveOptions(options);

  return createTemplateAction({
    id: 'forecast:dependency:deploy',
    description:
      'Creates or updates the Amazon Forecast dependency stack (S3 bucket and IAM roles) in one account and region, streaming the stack events to the task log.',
    supportsDryRun: true,
    schema: {
      input: dependencyInputSchema,
      output: {
        stackId: z => z.string().optional(),
        stackName: z => z.string(),
        status: z => z.string().optional(),
        operation: z => z.string().optional(),
        bucketName: z => z.string(),
        bucketArn: z => z.string().optional(),
        forecastRoleArn: z => z.string().optional(),
        pipelineRoleArn: z => z.string().optional(),
        entityRef: z => z.string(),
        consoleUrl: z => z.string(),
      },
    },
    async handler(rawCtx) {
      const ctx = {
        ...rawCtx,
        input: parseActionInput(dependencyInputSchema(zod), rawCtx.input),
      };
      const logger = createRedactingLogger(
        ctx.logger,
        Object.values(ctx.secrets ?? {}),
      );
      const { accountId, region } = resolved.clientFactory.resolveTarget({
        accountId: ctx.input.accountId,
        region: ctx.input.region,
      });

      const stackName = ctx.input.stackName.trim();
      const bucketName =
        ctx.input.bucketName?.trim() ||
        defaultBucketName(stackName, accountId, region);
      const problems = [
        checkStackName('stackName', stackName)?.message,
        checkBucketName(bucketName),
      ].filter((problem): problem is string => Boolean(problem));
      if (problems.length > 0) {
        throw new InputError(
          `Invalid inputs for the dependency stack: ${problems.join('; ')}`,
        );
      }

      const entityRef = `resource:default/${stackName}`;
      const outcome = await runStackDeployment(
        resolved,
        { ...ctx, logger },
        {
          role: 'dependency',
          templateName: 'forecast-dependency',
          stackName,
          accountId,
          region,
          parameters: {
            BucketName: bucketName,
            UseExistingBucket: String(ctx.input.useExistingBucket),
          },
          tags: buildStackTags({
            role: 'dependency',
            entityRef,
            owner: ctx.input.owner,
            title: ctx.input.title || stackName,
            description:
              ctx.input.description ||
              `Amazon Forecast bucket and roles for ${
                accountId || 'the default account'
              } in ${region}`,
            template: ctx.templateInfo?.entityRef,
            createdBy: ctx.user?.ref,
          }),
          recreateIfRolledBack: ctx.input.recreateIfRolledBack,
          timeoutMinutes: ctx.input.timeoutMinutes,
          derivedNames: {
            'Stack name': stackName,
            'Bucket name': bucketName,
            'Catalog entity': entityRef,
          },
        },
      );

      ctx.output('stackName', stackName);
      ctx.output('entityRef', entityRef);
      if (outcome.dryRun) {
        ctx.output('bucketName', bucketName);
        ctx.output('consoleUrl', stackConsoleUrl(region, stackName));
        return;
      }
      ctx.output('stackId', outcome.stackId);
      ctx.output('status', outcome.status);
      ctx.output('operation', outcome.operation);
      ctx.output('bucketName', outcome.outputs.BucketName ?? bucketName);
      ctx.output('bucketArn', outcome.outputs.BucketArn);
      ctx.output('forecastRoleArn', outcome.outputs.ForecastRoleArn);
      ctx.output('pipelineRoleArn', outcome.outputs.PipelineRoleArn);
      ctx.output(
        'consoleUrl',
        stackConsoleUrl(region, stackName, outcome.stackId),
      );
    },
  });
}
