import { AwsServiceError } from '../../core/errors';
import { generatedName, optionalString, requireString } from './names';
import type { ProviderServices, ResourceProvider } from './types';

function definitionString(
  properties: Record<string, unknown>,
  logicalId: string,
): string {
  let definition: string;
  if (properties.Definition !== undefined) {
    definition = JSON.stringify(properties.Definition);
  } else if (typeof properties.DefinitionString === 'string') {
    definition = properties.DefinitionString;
  } else {
    throw new AwsServiceError(
      'ValidationError',
      `Property validation failure: [AWS::StepFunctions::StateMachine ${logicalId} needs Definition or DefinitionString]`,
    );
  }
  const substitutions = (properties.DefinitionSubstitutions ?? {}) as Record<
    string,
    unknown
  >;
  return definition.replace(/\$\{([^}]+)\}/g, (whole, key: string) =>
    key in substitutions ? String(substitutions[key]) : whole,
  );
}

export function stateMachineProvider({
  stepFunctions,
}: ProviderServices): ResourceProvider {
  return {
    attributes: ['Arn', 'Name', 'StateMachineRevisionId'],
    replacementProperties: ['StateMachineName', 'StateMachineType'],
    async create(properties, context) {
      const name =
        optionalString(properties, 'StateMachineName') ??
        generatedName(context.logicalId, '', 80).replace('--', '-');
      // CloudFormation tags what it creates with the stack and logical id,
      // then adds the stack's tags and the resource's own.
      const tags = [
        { Key: 'aws:cloudformation:stack-name', Value: context.stackName },
        { Key: 'aws:cloudformation:stack-id', Value: context.stackId },
        { Key: 'aws:cloudformation:logical-id', Value: context.logicalId },
        ...context.stackTags,
        ...((properties.Tags as { Key: string; Value: string }[] | undefined) ??
          []),
      ].map(tag => ({ key: tag.Key, value: tag.Value }));
      const { stateMachineArn } = stepFunctions.createStateMachine({
        name,
        definition: definitionString(properties, context.logicalId),
        roleArn: requireString(
          properties,
          'RoleArn',
          'AWS::StepFunctions::StateMachine',
        ),
        accountId: context.accountId,
        region: context.region,
        tags,
        type: properties.StateMachineType as 'STANDARD' | 'EXPRESS' | undefined,
      });
      return {
        physicalId: stateMachineArn,
        attributes: {
          Arn: stateMachineArn,
          Name: name,
          StateMachineRevisionId: stateMachineArn,
        },
      };
    },
    async update(state, properties, _previous, context) {
      stepFunctions.updateStateMachine(state.physicalId, {
        definition: definitionString(properties, context.logicalId),
        roleArn: requireString(
          properties,
          'RoleArn',
          'AWS::StepFunctions::StateMachine',
        ),
      });
      return state;
    },
    async delete(state) {
      stepFunctions.deleteStateMachine(state.physicalId);
    },
  };
}
