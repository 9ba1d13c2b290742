import { generatedName, optionalString, requireString } from './names';
import type { ProviderServices, ResourceProvider } from './types';

export function roleProvider({ iam }: ProviderServices): ResourceProvider {
  return {
    attributes: ['Arn', 'RoleId'],
    replacementProperties: ['RoleName', 'Path'],
    async create(properties, context) {
      const document = properties.AssumeRolePolicyDocument;
      if (!document) {
        requireString(properties, 'AssumeRolePolicyDocument', 'AWS::IAM::Role');
      }
      const name =
        optionalString(properties, 'RoleName') ??
        generatedName(context.stackName, context.logicalId, 64);
      const record = iam.create(
        'role',
        name,
        optionalString(properties, 'Path') ?? '/',
        properties,
        context.accountId,
      );
      return {
        physicalId: name,
        attributes: { Arn: record.arn, RoleId: record.id },
      };
    },
    async update(state, properties, _previous, context) {
      iam.replaceDocument(
        'role',
        state.physicalId,
        context.accountId,
        properties,
      );
      return state;
    },
    async delete(state, _properties, context) {
      iam.delete('role', state.physicalId, context.accountId);
    },
  };
}

export function managedPolicyProvider({
  iam,
}: ProviderServices): ResourceProvider {
  return {
    attributes: [
      'PolicyArn',
      'PolicyId',
      'DefaultVersionId',
      'AttachmentCount',
      'IsAttachable',
      'CreateDate',
      'UpdateDate',
    ],
    replacementProperties: ['ManagedPolicyName', 'Path'],
    async create(properties, context) {
      if (!properties.PolicyDocument) {
        requireString(properties, 'PolicyDocument', 'AWS::IAM::ManagedPolicy');
      }
      const name =
        optionalString(properties, 'ManagedPolicyName') ??
        generatedName(context.stackName, context.logicalId, 128);
      const record = iam.create(
        'policy',
        name,
        optionalString(properties, 'Path') ?? '/',
        properties,
        context.accountId,
      );
      return {
        physicalId: record.arn,
        attributes: {
          PolicyArn: record.arn,
          PolicyId: record.id,
          DefaultVersionId: 'v1',
          AttachmentCount: 0,
          IsAttachable: true,
          CreateDate: record.createdAt,
          UpdateDate: record.createdAt,
        },
      };
    },
    async update(state, properties, _previous, context) {
      iam.replaceDocument(
        'policy',
        state.physicalId.split('/').pop()!,
        context.accountId,
        properties,
      );
      return state;
    },
    async delete(state, _properties, context) {
      iam.delete(
        'policy',
        state.physicalId.split('/').pop()!,
        context.accountId,
      );
    },
  };
}

export function inlinePolicyProvider(): ResourceProvider {
  return {
    attributes: ['Id'],
    replacementProperties: ['PolicyName'],
    async create(properties, context) {
      const name = requireString(properties, 'PolicyName', 'AWS::IAM::Policy');
      if (!properties.PolicyDocument) {
        requireString(properties, 'PolicyDocument', 'AWS::IAM::Policy');
      }
      const id = `${context.stackName.slice(0, 20)}-${name}`;
      return { physicalId: id, attributes: { Id: id } };
    },
    update: async state => state,
    delete: async () => {},
  };
}
