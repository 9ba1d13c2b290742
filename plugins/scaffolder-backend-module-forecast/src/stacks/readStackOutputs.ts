import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { NotFoundError } from '@backstage/errors';
import type { AwsClientFactory } from '@forecast-pipelines/plugin-forecast-node';
import { explainAwsError, isStackNotFoundError } from '../aws/awsErrors';

/** The outputs and parameter values of a stack. */
export interface StackValues {
  outputs: Record<string, string>;
  parameters: Record<string, string>;
}

/** Returns the outputs of an existing stack; see {@link readStackValues}. */
export async function readStackOutputs(
  clientFactory: AwsClientFactory,
  target: { stackName: string; accountId: string; region: string },
  whenMissing?: string,
): Promise<Record<string, string>> {
  return (await readStackValues(clientFactory, target, whenMissing)).outputs;
}

/**
 * Returns the outputs and parameters of an existing stack. Throws
 * NotFoundError with the fix when the stack does not exist.
 */
export async function readStackValues(
  clientFactory: AwsClientFactory,
  target: { stackName: string; accountId: string; region: string },
  whenMissing = 'deploy the workload first (action forecast:workload:deploy), or check the name',
): Promise<StackValues> {
  const client = await clientFactory.cloudFormation(target);
  let stacks;
  try {
    stacks = await client.send(
      new DescribeStacksCommand({ StackName: target.stackName }),
    );
  } catch (error) {
    if (isStackNotFoundError(error)) {
      throw new NotFoundError(
        `Stack ${target.stackName} does not exist in account ${
          target.accountId || '(default)'
        } region ${target.region}: ${whenMissing}`,
      );
    }
    throw explainAwsError(error, {
      action: 'cloudformation:DescribeStacks',
      accountId: target.accountId,
      region: target.region,
      resource: target.stackName,
    });
  }

  const stack = stacks.Stacks?.[0];
  const outputs: Record<string, string> = {};
  for (const output of stack?.Outputs ?? []) {
    if (output.OutputKey) {
      outputs[output.OutputKey] = output.OutputValue ?? '';
    }
  }
  const parameters: Record<string, string> = {};
  for (const parameter of stack?.Parameters ?? []) {
    if (parameter.ParameterKey) {
      parameters[parameter.ParameterKey] = parameter.ParameterValue ?? '';
    }
  }
  return { outputs, parameters };
}
