import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { NotFoundError } from '@backstage/errors';
import type { AwsClientFactory } from '@forecast-pipelines/plugin-forecast-node';
import { explainAwsError, isStackNotFoundError } from '../aws/awsErrors';

/**
 * Returns the outputs of an existing stack. Throws NotFoundError with the
 * fix when the stack does not exist.
 */
export async function readStackOutputs(
  clientFactory: AwsClientFactory,
  target: { stackName: string; accountId: string; region: string },
  whenMissing = 'deploy the workload first (action forecast:workload:deploy), or check the name',
): Promise<Record<string, string>> {
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
        } region ${
          target.region
        }: ${whenMissing}`,
      );
    }
    throw explainAwsError(error, {
      action: 'cloudformation:DescribeStacks',
      accountId: target.accountId,
      region: target.region,
      resource: target.stackName,
    });
  }

  const outputs: Record<string, string> = {};
  for (const output of stacks.Stacks?.[0]?.Outputs ?? []) {
    if (output.OutputKey) {
      outputs[output.OutputKey] = output.OutputValue ?? '';
    }
  }
  return outputs;
}
