import {
  inlinePolicyProvider,
  managedPolicyProvider,
  roleProvider,
} from './iam';
import { logGroupProvider } from './logs';
import { bucketProvider } from './s3';
import { scheduleProvider } from './scheduler';
import { subscriptionProvider, topicProvider } from './sns';
import { parameterProvider } from './ssm';
import { stateMachineProvider } from './stepFunctions';
import type { ProviderServices, ResourceProviders } from './types';

export type { ProviderServices } from './types';

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
