import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import type { JsonObject } from '@backstage/types';
import type { ForecastTemplateName } from '@forecast-pipelines/cloudformation';
import {
  FORECAST_STACK_DEPLOYED_TOPIC,
  ForecastStackDeployedEvent,
  ForecastStackRole,
} from '@forecast-pipelines/plugin-forecast-common';
import { parseArn } from '@forecast-pipelines/plugin-forecast-node';
import { errorMessage } from '../aws/awsErrors';
import {
  StackDeployer,
  StackDeployResult,
  TemplateSource,
} from '../stacks/StackDeployer';
import {
  MAX_TEMPLATE_BODY_BYTES,
  needsStaging,
  stageTemplate,
} from '../stacks/stageTemplate';
import {
  describeParameters,
  secretParameterNames,
  summarizeTemplate,
  validateTemplateParameters,
} from '../stacks/templateParameters';
import { resolveOptions } from './options';

/** One stack deployment as the deploy actions describe it. */
export interface StackDeployment {
  role: ForecastStackRole;
  templateName: ForecastTemplateName;
  stackName: string;
  accountId: string;
  region: string;
  parameters: Record<string, string>;
  tags: Record<string, string>;
  recreateIfRolledBack: boolean;
  timeoutMinutes: number;
  /** Derived names shown in the log before anything else, such as the dataset group. */
  derivedNames: Record<string, string>;
  /**
   * Returns the bucket a template too large to send inline is copied to.
   * Without it such a template is rejected.
   */
  stagingBucket?: () => Promise<string>;
}

/** The parts of the action context a deployment uses. */
export type DeploymentContext = Pick<
  ActionContext<JsonObject>,
  'logger' | 'isDryRun' | 'signal' | 'task' | 'step' | 'checkpoint'
>;

/** A deployment's result; `dryRun` when no AWS call was made. */
export type DeploymentOutcome =
  | { dryRun: true }
  | ({ dryRun: false } & StackDeployResult);

/** Returns the AWS console page of a stack, or the stack list filtered by name before the stack exists. */
export function stackConsoleUrl(
  region: string,
  stackName: string,
  stackId?: string,
): string {
  const base = `https://${region}.console.aws.amazon.com/cloudformation/home?region=${region}`;
  if (stackId) {
    return `${base}#/stacks/stackinfo?stackId=${encodeURIComponent(stackId)}`;
  }
  return `${base}#/stacks?filteringText=${encodeURIComponent(stackName)}`;
}

/**
 * Idempotency token for CreateStack, unique per task and step: a retried or
 * recovered step sends the same token, so CloudFormation creates at most one
 * stack for it.
 */
function clientRequestToken(context: DeploymentContext): string {
  const raw = `backstage-${context.task.id}-${context.step?.id ?? 'step'}`;
  return raw.replace(/[^a-zA-Z0-9-]/g, '-').slice(0, 128);
}

/**
 * Validates, logs and (unless dry run) deploys one stack, then announces the
 * result on the events service. Parameter values of NoEcho parameters never
 * reach the log.
 */
export async function runStackDeployment(
  options: ReturnType<typeof resolveOptions>,
  context: DeploymentContext,
  deployment: StackDeployment,
): Promise<DeploymentOutcome> {
  const { logger } = context;
  const templateBody = options.readTemplate(deployment.templateName);
  const summary = summarizeTemplate(templateBody);

  validateTemplateParameters(
    deployment.templateName,
    summary,
    deployment.parameters,
  );
  const masked = secretParameterNames(summary);

  logger.info(
    `Target: account ${
      deployment.accountId || '(default credentials)'
    }, region ${deployment.region}`,
  );
  for (const [label, value] of Object.entries(deployment.derivedNames)) {
    logger.info(`${label}: ${value}`);
  }
  logger.info(
    `Template ${deployment.templateName} parameters: ${describeParameters(
      summary,
      deployment.parameters,
    ).join(', ')}`,
  );
  logger.info(
    `Stack tags: ${Object.entries(deployment.tags)
      .map(([key, value]) => `${key}=${value}`)
      .join(', ')}`,
  );
  if (masked.length > 0) {
    logger.info(`Values of ${masked.join(', ')} are hidden (NoEcho)`);
  }
  logger.info(
    `Capabilities: ${summary.capabilities.join(', ') || '(none needed)'}`,
  );

  const staged = needsStaging(templateBody);
  if (staged) {
    logger.info(
      `The ${deployment.templateName} template is ${Buffer.byteLength(
        templateBody,
      )} bytes, more than CloudFormation accepts inline (${MAX_TEMPLATE_BODY_BYTES}); it is copied to S3 and passed as TemplateURL`,
    );
  }

  if (context.isDryRun) {
    logger.info(
      `Dry run: the inputs and parameters are valid; no AWS call was made and stack ${deployment.stackName} was not changed`,
    );
    return { dryRun: true };
  }

  const client = await options.clientFactory.cloudFormation({
    accountId: deployment.accountId,
    region: deployment.region,
  });
  const deployer = new StackDeployer({
    client,
    logger,
    accountId: deployment.accountId,
    region: deployment.region,
    checkpoint: (key, fn) => context.checkpoint({ key, fn }),
    pollIntervalMs: options.pollIntervalMs,
    heartbeatIntervalMs: options.heartbeatIntervalMs,
    timeoutMs: deployment.timeoutMinutes * 60_000,
    signal: context.signal,
  });

  let template: TemplateSource = { templateBody };
  if (staged) {
    if (!deployment.stagingBucket) {
      throw new Error(
        `The ${deployment.templateName} template is larger than ${MAX_TEMPLATE_BODY_BYTES} bytes and no S3 bucket is known to copy it to`,
      );
    }
    const target = {
      accountId: deployment.accountId,
      region: deployment.region,
    };
    template = await stageTemplate(options.clientFactory, target, {
      bucket: await deployment.stagingBucket(),
      stackName: deployment.stackName,
      templateName: deployment.templateName,
      templateBody,
    });
    logger.info(
      `Template copied to ${
        'templateUrl' in template ? template.templateUrl : ''
      }`,
    );
  }

  const result = await deployer.deploy({
    stackName: deployment.stackName,
    template,
    parameters: deployment.parameters,
    tags: deployment.tags,
    capabilities: summary.capabilities,
    recreateIfRolledBack: deployment.recreateIfRolledBack,
    clientRequestToken: clientRequestToken(context),
  });

  const stackArn = parseArn(result.stackId);
  await announceDeployment(options, logger, {
    stackId: result.stackId,
    stackName: result.stackName,
    role: deployment.role,
    accountId: stackArn.accountId || deployment.accountId,
    region: stackArn.region || deployment.region,
    status: result.status,
  });
  return { dryRun: false, ...result };
}

async function announceDeployment(
  options: ReturnType<typeof resolveOptions>,
  logger: LoggerService,
  event: ForecastStackDeployedEvent,
): Promise<void> {
  if (!options.events) {
    return;
  }
  try {
    await options.events.publish({
      topic: FORECAST_STACK_DEPLOYED_TOPIC,
      eventPayload: event,
    });
  } catch (error) {
    // The stack is deployed; the catalog still picks it up on its schedule.
    logger.warn(
      `Could not announce stack ${
        event.stackName
      } to the catalog (${errorMessage(
        error,
      )}); it appears at the catalog provider's next scheduled refresh`,
    );
  }
}
