import { AwsServiceError } from '../../core/errors';
import { generatedName, optionalString, requireString } from './names';
import type { ProviderServices, ResourceProvider } from './types';

export function topicProvider({ sns }: ProviderServices): ResourceProvider {
  const subscribeAll = (arn: string, properties: Record<string, unknown>) => {
    for (const subscription of (properties.Subscription as
      | { Protocol: string; Endpoint: string }[]
      | undefined) ?? []) {
      sns.subscribe(arn, subscription.Protocol, subscription.Endpoint);
    }
  };
  return {
    attributes: ['TopicArn', 'TopicName'],
    replacementProperties: ['TopicName', 'FifoTopic'],
    async create(properties, context) {
      const name =
        optionalString(properties, 'TopicName') ??
        generatedName(context.stackName, context.logicalId, 256);
      const arn = `arn:aws:sns:${context.region}:${context.accountId}:${name}`;
      if (sns.hasTopic(arn)) {
        throw new AwsServiceError(
          'AlreadyExists',
          `Topic ${name} already exists. Choose another TopicName.`,
        );
      }
      sns.createTopic(
        name,
        context,
        properties.DisplayName
          ? { DisplayName: String(properties.DisplayName) }
          : {},
      );
      subscribeAll(arn, properties);
      return {
        physicalId: arn,
        attributes: { TopicArn: arn, TopicName: name },
      };
    },
    async update(state, properties) {
      subscribeAll(state.physicalId, properties);
      return state;
    },
    async delete(state) {
      sns.deleteTopic(state.physicalId);
    },
  };
}

export function subscriptionProvider({
  sns,
}: ProviderServices): ResourceProvider {
  return {
    attributes: ['Arn'],
    replacementProperties: ['TopicArn', 'Protocol', 'Endpoint'],
    async create(properties) {
      const arn = sns.subscribe(
        requireString(properties, 'TopicArn', 'AWS::SNS::Subscription'),
        requireString(properties, 'Protocol', 'AWS::SNS::Subscription'),
        optionalString(properties, 'Endpoint') ?? '',
      );
      return { physicalId: arn, attributes: { Arn: arn } };
    },
    update: async state => state,
    async delete(state) {
      sns.unsubscribe(state.physicalId);
    },
  };
}
