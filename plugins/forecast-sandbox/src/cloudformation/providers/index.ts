import path from 'node:path';
import { AwsServiceError } from '../../core/errors';
import { JsonFileStore } from '../../core/JsonFileStore';
import type { ObjectStore } from '../../core/types';
import type { IamStore } from '../../iam/IamStore';
import { checkBucketName } from '../../s3/S3Api';
import type { SchedulerService } from '../../scheduler/SchedulerService';
import type { SnsService } from '../../sns/SnsService';
import type { SsmService } from '../../ssm/SsmService';
import type { StepFunctionsService } from '../../stepfunctions';
import { generatedName, optionalString, requireString } from './names';
import type { ResourceProvider, ResourceProviders } from './types';

/** The local services the resource providers create resources in. */
export interface ProviderServices {
  dataDir: string;
  objects: ObjectStore;
  ssm: SsmService;
  sns: SnsService;
  scheduler: SchedulerService;
  iam: IamStore;
  stepFunctions: StepFunctionsService;
}

function bucketProvider({ objects }: ProviderServices): ResourceProvider {
  return {
    attributes: [
      'Arn',
      'DomainName',
      'RegionalDomainName',
      'DualStackDomainName',
      'WebsiteURL',
    ],
    replacementProperties: ['BucketName'],
    async create(properties, context) {
      const name =
        optionalString(properties, 'BucketName') ??
        generatedName(context.stackName, context.logicalId, 63, {
          lowercase: true,
        });
      checkBucketName(name);
      if (await objects.bucketExists(name)) {
        throw new AwsServiceError(
          'BucketAlreadyExists',
          `${name} already exists. Bucket names are unique: pick another BucketName, or use the existing bucket without creating it.`,
        );
      }
      await objects.createBucket(name);
      return {
        physicalId: name,
        attributes: {
          Arn: `arn:aws:s3:::${name}`,
          DomainName: `${name}.s3.amazonaws.com`,
          RegionalDomainName: `${name}.s3.${context.region}.amazonaws.com`,
          DualStackDomainName: `${name}.s3.dualstack.${context.region}.amazonaws.com`,
          WebsiteURL: `http://${name}.s3-website-${context.region}.amazonaws.com`,
        },
      };
    },
    // Encryption, lifecycle and the like are recorded with the stack but not applied.
    update: async state => state,
    async delete(state) {
      if (await objects.bucketExists(state.physicalId)) {
        await objects.deleteBucket(state.physicalId);
      }
    },
  };
}

function roleProvider({ iam }: ProviderServices): ResourceProvider {
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

function managedPolicyProvider({ iam }: ProviderServices): ResourceProvider {
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

function inlinePolicyProvider(): ResourceProvider {
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

function parameterProvider({ ssm }: ProviderServices): ResourceProvider {
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

function topicProvider({ sns }: ProviderServices): ResourceProvider {
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

function subscriptionProvider({ sns }: ProviderServices): ResourceProvider {
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

function scheduleProvider({ scheduler }: ProviderServices): ResourceProvider {
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

interface LogGroupRecord {
  name: string;
  arn: string;
  retentionInDays?: number;
}

function logGroupProvider({ dataDir }: ProviderServices): ResourceProvider {
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

function stateMachineProvider({
  stepFunctions,
}: ProviderServices): ResourceProvider {
  return {
    attributes: ['Arn', 'Name', 'StateMachineRevisionId'],
    replacementProperties: ['StateMachineName', 'StateMachineType'],
    async create(properties, context) {
      const name =
        optionalString(properties, 'StateMachineName') ??
        generatedName(context.logicalId, '', 80).replace('--', '-');
      const tags = [
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

/** Every resource type the sandbox's CloudFormation deploys. */
export function createResourceProviders(
  services: ProviderServices,
): ResourceProviders {
  return {
    'AWS::S3::Bucket': bucketProvider(services),
    'AWS::IAM::Role': roleProvider(services),
    'AWS::IAM::ManagedPolicy': managedPolicyProvider(services),
    'AWS::IAM::Policy': inlinePolicyProvider(),
    'AWS::SSM::Parameter': parameterProvider(services),
    'AWS::SNS::Topic': topicProvider(services),
    'AWS::SNS::Subscription': subscriptionProvider(services),
    'AWS::Scheduler::Schedule': scheduleProvider(services),
    'AWS::Logs::LogGroup': logGroupProvider(services),
    'AWS::StepFunctions::StateMachine': stateMachineProvider(services),
  };
}
