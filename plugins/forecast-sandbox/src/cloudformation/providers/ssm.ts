import { AwsServiceError } from '../../core/errors';
import { generatedName, optionalString, requireString } from './names';
import type { ProviderServices, ResourceProvider } from './types';

export function parameterProvider({ ssm }: ProviderServices): ResourceProvider {
  const put = (
    name: string,
    properties: Record<string, unknown>,
    context: Parameters<ResourceProvider['create']>[1],
    overwrite: boolean,
  ) => {
    const type = requireString(properties, 'Type', 'AWS::SSM::Parameter');
    if (type !== 'String' && type !== 'StringList') {
      throw new AwsServiceError(
        'ValidationError',
        `Property validation failure: [Type "${type}" of AWS::SSM::Parameter ${context.logicalId} must be String or StringList; CloudFormation cannot create SecureString parameters]`,
      );
    }
    ssm.putParameter(
      {
        Name: name,
        Value: requireString(properties, 'Value', 'AWS::SSM::Parameter'),
        Type: type,
        Description: properties.Description,
        Tier: properties.Tier,
        DataType: properties.DataType,
        Overwrite: overwrite,
      },
      context,
    );
    return {
      physicalId: name,
      attributes: { Type: type, Value: properties.Value },
    };
  };
  return {
    attributes: ['Type', 'Value'],
    replacementProperties: ['Name'],
    create: async (properties, context) =>
      put(
        optionalString(properties, 'Name') ??
          `CFN-${generatedName(context.stackName, context.logicalId, 60)}`,
        properties,
        context,
        false,
      ),
    update: async (state, properties, _previous, context) =>
      put(state.physicalId, properties, context, true),
    async delete(state, _properties, context) {
      ssm.deleteIfExists(state.physicalId, context);
    },
  };
}
