import path from 'node:path';
import { AwsServiceError } from '../../core/errors';
import { JsonFileStore } from '../../core/JsonFileStore';
import { generatedName, optionalString } from './names';
import type { ProviderServices, ResourceProvider } from './types';

interface LogGroupRecord {
  name: string;
  arn: string;
  retentionInDays?: number;
}

export function logGroupProvider({
  dataDir,
}: ProviderServices): ResourceProvider {
  const groups = new JsonFileStore<LogGroupRecord>(
    path.join(dataDir, 'logs', 'log-groups.json'),
  );
  return {
    attributes: ['Arn'],
    replacementProperties: ['LogGroupName'],
    async create(properties, context) {
      const name =
        optionalString(properties, 'LogGroupName') ??
        generatedName(context.stackName, context.logicalId, 512);
      const key = `${context.accountId}/${context.region}/${name}`;
      if (groups.has(key)) {
        throw new AwsServiceError(
          'ResourceAlreadyExistsException',
          `Log group ${name} already exists. Choose another LogGroupName.`,
        );
      }
      const arn = `arn:aws:logs:${context.region}:${context.accountId}:log-group:${name}:*`;
      groups.set(key, {
        name,
        arn,
        retentionInDays: properties.RetentionInDays as number | undefined,
      });
      return { physicalId: name, attributes: { Arn: arn } };
    },
    update: async state => state,
    async delete(state, _properties, context) {
      groups.delete(
        `${context.accountId}/${context.region}/${state.physicalId}`,
      );
    },
  };
}
