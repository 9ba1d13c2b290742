import {
  DescribeExecutionCommand,
  DescribeExecutionCommandOutput,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { z as zod } from 'zod/v3';
import { checkStackName } from '@forecast-pipelines/plugin-forecast-common';
import {
  awsCause,
  errorMessage,
  explainAwsError,
  isThrottlingError,
} from '../aws/awsErrors';
import { createRedactingLogger } from '../redactingLogger';
import { readStackOutputs } from '../stacks/readStackOutputs';
import { PIPELINE_OUTPUT_KEYS, PipelineKey } from './deployWorkload';
import {
  ForecastActionOptions,
  parseActionInput,
  resolveOptions,
} from './options';

const PIPELINE_KEYS = Object.keys(PIPELINE_OUTPUT_KEYS) as [
  PipelineKey,
  ...PipelineKey[],
];

/** Step Functions execution names: at most 80 characters of letters, digits, `-` and `_`. */
function executionNameFor(taskId: string, stepId: string | undefined): string {
  return `backstage-${taskId}-${stepId ?? 'step'}`
    .replace(/[^A-Za-z0-9_-]/g, '-')
    .slice(0, 80);
}

function executionArnFor(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

const startPipelineInputSchema = (z: typeof zod) =>
  z.object({
    stackName: z.string({
      description: 'Workload stack, for example forecast-weekly-demand',
    }),
    pipeline: z
      .enum(PIPELINE_KEYS, { description: 'Pipeline to start' })
      .default('workflow'),
    executionInput: z
      .union([z.string(), z.record(z.unknown())], {
        description: 'Execution input as JSON; the pipelines accept {}',
      })
      .default({}),
    executionName: z
      .string({
        description:
          'Execution name; defaults to one derived from the task, so a retried step does not start twice',
      })
      .optional(),
    waitForCompletion: z
      .boolean({ description: 'Wait until the execution finishes' })
      .default(false),
    timeoutMinutes: z
      .number({ description: 'Maximum wait, in minutes' })
      .int()
      .positive()
      .default(60),
    accountId: z.string().optional(),
    region: z.string().optional(),
  });

/**
 * Creates the `forecast:pipeline:start` action, which starts one pipeline
 * (state machine) of a workload stack and can wait for it to finish.
 */
export function createStartPipelineAction(options: ForecastActionOptions) {
  const resolved = resolveOptions(options);

  return createTemplateAction({
    id: 'forecast:pipeline:start',
    description:
      'Starts a pipeline of an Amazon Forecast workload (by default the end-to-end workflow) and optionally waits for it to finish.',
    supportsDryRun: true,
    schema: {
      input: startPipelineInputSchema,
      output: {
        executionArn: z => z.string().optional(),
        stateMachineArn: z => z.string().optional(),
        status: z => z.string().optional(),
        consoleUrl: z => z.string().optional(),
      },
    },
    async handler(rawCtx) {
      const ctx = {
        ...rawCtx,
        input: parseActionInput(startPipelineInputSchema(zod), rawCtx.input),
      };
      const logger = createRedactingLogger(
        ctx.logger,
        Object.values(ctx.secrets ?? {}),
      );
      const stackProblem = checkStackName('stackName', ctx.input.stackName);
      if (stackProblem) {
        throw new InputError(stackProblem.message);
      }

      let executionInput: string;
      if (typeof ctx.input.executionInput === 'string') {
        try {
          JSON.parse(ctx.input.executionInput);
        } catch (error) {
          throw new InputError(
            `executionInput is not valid JSON (${errorMessage(
              error,
            )}); use {} for the default settings`,
          );
        }
        executionInput = ctx.input.executionInput;
      } else {
        executionInput = JSON.stringify(ctx.input.executionInput);
      }

      const name =
        ctx.input.executionName ?? executionNameFor(ctx.task.id, ctx.step?.id);
      if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) {
        throw new InputError(
          `executionName "${name}" is invalid: use 1 to 80 letters, digits, hyphens or underscores`,
        );
      }

      const { accountId, region } = resolved.clientFactory.resolveTarget({
        accountId: ctx.input.accountId,
        region: ctx.input.region,
      });
      const outputKey = PIPELINE_OUTPUT_KEYS[ctx.input.pipeline];

      if (ctx.isDryRun) {
        logger.info(
          `Dry run: would start pipeline ${ctx.input.pipeline} (stack output ${outputKey} of ${ctx.input.stackName}) as execution ${name} with input ${executionInput}. No AWS call was made.`,
        );
        return;
      }

      const outputs = await readStackOutputs(resolved.clientFactory, {
        stackName: ctx.input.stackName,
        accountId,
        region,
      });
      const stateMachineArn = outputs[outputKey];
      if (!stateMachineArn) {
        throw new InputError(
          `Stack ${ctx.input.stackName} has no ${outputKey} output, so pipeline ${ctx.input.pipeline} cannot be found; is it a workload stack?`,
        );
      }

      const client = await resolved.clientFactory.stepFunctions({
        accountId,
        region,
      });
      const call = async <T>(action: string, fn: () => Promise<T>) => {
        try {
          return await fn();
        } catch (error) {
          throw explainAwsError(error, {
            action: `states:${action}`,
            accountId,
            region,
            resource: stateMachineArn,
          });
        }
      };

      const executionArn = await ctx.checkpoint({
        key: `start-execution-${name}`,
        fn: async () => {
          try {
            const started = await call('StartExecution', () =>
              client.send(
                new StartExecutionCommand({
                  stateMachineArn,
                  name,
                  input: executionInput,
                }),
              ),
            );
            return started.executionArn!;
          } catch (error) {
            if (
              (awsCause(error) as { name?: string })?.name ===
              'ExecutionAlreadyExists'
            ) {
              logger.info(
                `Execution ${name} was already started by an earlier attempt of this step; following it`,
              );
              return executionArnFor(stateMachineArn, name);
            }
            throw error;
          }
        },
      });
      logger.info(
        `Started pipeline ${ctx.input.pipeline}: execution ${executionArn}`,
      );

      const consoleUrl = `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${encodeURIComponent(
        executionArn,
      )}`;
      ctx.output('executionArn', executionArn);
      ctx.output('stateMachineArn', stateMachineArn);
      ctx.output('consoleUrl', consoleUrl);

      if (!ctx.input.waitForCompletion) {
        ctx.output('status', 'RUNNING');
        return;
      }

      const finished = await waitForExecution(client, executionArn, {
        logger,
        call,
        pollIntervalMs: resolved.pollIntervalMs,
        heartbeatIntervalMs: resolved.heartbeatIntervalMs,
        timeoutMs: ctx.input.timeoutMinutes * 60_000,
      });
      ctx.output('status', finished.status);
      if (finished.status !== 'SUCCEEDED') {
        const error = finished.error ? `: ${finished.error}` : '';
        const cause = finished.cause ? ` (${finished.cause})` : '';
        throw new Error(
          `Pipeline ${ctx.input.pipeline} ended in ${finished.status}${error}${cause}. Open the execution for the failing step: ${consoleUrl}`,
        );
      }
      logger.info(`Pipeline ${ctx.input.pipeline} SUCCEEDED`);
    },
  });
}

async function waitForExecution(
  client: SFNClient,
  executionArn: string,
  options: {
    logger: ReturnType<typeof createRedactingLogger>;
    call: <T>(action: string, fn: () => Promise<T>) => Promise<T>;
    pollIntervalMs: number;
    heartbeatIntervalMs: number;
    timeoutMs: number;
  },
): Promise<DescribeExecutionCommandOutput> {
  const { logger, call, pollIntervalMs, heartbeatIntervalMs, timeoutMs } =
    options;
  const startedAt = Date.now();
  let lastLineAt = startedAt;
  // Polls start fast and slow down to pollIntervalMs, as for stacks.
  let interval = Math.min(500, pollIntervalMs);

  for (;;) {
    try {
      const execution = await call('DescribeExecution', () =>
        client.send(new DescribeExecutionCommand({ executionArn })),
      );
      interval = Math.min(interval * 2, pollIntervalMs);
      if (
        execution.status !== 'RUNNING' &&
        execution.status !== 'PENDING_REDRIVE'
      ) {
        return execution;
      }
    } catch (error) {
      if (!isThrottlingError(awsCause(error))) {
        throw error;
      }
      interval = Math.min(interval * 2, 60_000);
      logger.warn(
        `AWS throttled the execution status poll; polling again in ${Math.round(
          interval / 1000,
        )} s`,
      );
    }

    const elapsed = Date.now() - startedAt;
    if (elapsed > timeoutMs) {
      throw new Error(
        `Timed out after ${Math.round(
          elapsed / 1000,
        )} s waiting for execution ${executionArn}; it goes on running in AWS`,
      );
    }
    if (Date.now() - lastLineAt >= heartbeatIntervalMs) {
      logger.info(
        `Execution still RUNNING, ${Math.round(elapsed / 1000)} s elapsed`,
      );
      lastLineAt = Date.now();
    }
    await sleep(Math.min(interval, heartbeatIntervalMs));
  }
}
