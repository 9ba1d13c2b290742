import { AwsServiceError } from '../../core/errors';
import { generatedName, optionalString } from './names';
import type { ProviderServices, ResourceProvider } from './types';

function scheduleInput(
  properties: Record<string, unknown>,
): Record<string, unknown> {
  const toEpoch = (value: unknown) =>
    value ? Date.parse(String(value)) / 1000 : undefined;
  return {
    ...properties,
    StartDate: toEpoch(properties.StartDate),
    EndDate: toEpoch(properties.EndDate),
  };
}

export function scheduleProvider({
  scheduler,
}: ProviderServices): ResourceProvider {
  return {
    attributes: ['Arn'],
    replacementProperties: ['Name', 'GroupName'],
    async create(properties, context) {
      const name =
        optionalString(properties, 'Name') ??
        generatedName(context.stackName, context.logicalId, 64);
      const arn = scheduler.create(name, scheduleInput(properties), context);
      return { physicalId: name, attributes: { Arn: arn } };
    },
    async update(state, properties, _previous, context) {
      const arn = scheduler.update(
        state.physicalId,
        scheduleInput(properties),
        context,
      );
      return { physicalId: state.physicalId, attributes: { Arn: arn } };
    },
    async delete(state, properties) {
      try {
        scheduler.delete(
          state.physicalId,
          optionalString(properties, 'GroupName'),
        );
      } catch (error) {
        if ((error as AwsServiceError).code !== 'ResourceNotFoundException')
          throw error;
      }
    },
  };
}
