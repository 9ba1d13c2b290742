import type { Stack } from '@aws-sdk/client-cloudformation';
import {
  isSkippedStack,
  isUsableStackStatus,
  stackToEntity,
} from './stackToEntity';

const WORKLOAD_ARN =
  'arn:aws:cloudformation:eu-west-1:123456789012:stack/forecast-weekly-demand/abc';

function workloadStack(overrides: Partial<Stack> = {}): Stack {
  return {
    StackId: WORKLOAD_ARN,
    StackName: 'forecast-weekly-demand',
    StackStatus: 'CREATE_COMPLETE',
    CreationTime: new Date(),
    Parameters: [
      {
        ParameterKey: 'DependencyStackName',
        ParameterValue: 'forecast-dependency',
      },
    ],
    Tags: [
      { Key: 'forecast-pipelines:role', Value: 'workload' },
      {
        Key: 'forecast-pipelines:entity-ref',
        Value: 'component:default/weekly-demand',
      },
      { Key: 'forecast-pipelines:owner', Value: 'group:default/analytics' },
      { Key: 'forecast-pipelines:title', Value: 'Weekly demand' },
      { Key: 'forecast-pipelines:description', Value: 'Demand per store' },
    ],
    ...overrides,
  };
}

describe('stackToEntity', () => {
  it('turns a workload stack into a Component', () => {
    const entity = stackToEntity(workloadStack(), {
      region: 'eu-west-1',
      defaultOwner: 'unknown',
    });
    expect(entity).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'weekly-demand',
        namespace: 'default',
        title: 'Weekly demand',
        description: 'Demand per store',
        annotations: {
          'backstage.io/managed-by-location': expect.stringMatching(
            /^url:https:\/\/eu-west-1\.console/,
          ),
          'backstage.io/managed-by-origin-location':
            expect.stringMatching(/^url:/),
          'amazon-forecast/stack-arn': WORKLOAD_ARN,
          'amazon-forecast/stack-role': 'workload',
        },
        tags: ['amazon-forecast'],
        links: [expect.objectContaining({ title: 'CloudFormation stack' })],
      },
      spec: {
        type: 'forecast-workload',
        lifecycle: 'production',
        owner: 'group:default/analytics',
        dependsOn: ['resource:default/forecast-dependency'],
      },
    });
  });

  it('turns a dependency stack into a Resource', () => {
    const entity = stackToEntity(
      {
        StackId:
          'arn:aws:cloudformation:eu-west-1:1:stack/forecast-dependency/x',
        StackName: 'forecast-dependency',
        StackStatus: 'UPDATE_COMPLETE',
        CreationTime: new Date(),
        Tags: [{ Key: 'forecast-pipelines:role', Value: 'dependency' }],
      },
      { region: 'eu-west-1', defaultOwner: 'group:default/platform' },
    );
    expect(isSkippedStack(entity)).toBe(false);
    expect(entity).toMatchObject({
      kind: 'Resource',
      metadata: {
        name: 'forecast-dependency',
        annotations: { 'amazon-forecast/stack-role': 'dependency' },
      },
      spec: {
        type: 'forecast-dependency-stack',
        owner: 'group:default/platform',
      },
    });
  });

  it('derives the name from the stack when the entity-ref tag is missing', () => {
    const entity = stackToEntity(
      workloadStack({
        Tags: [{ Key: 'forecast-pipelines:role', Value: 'workload' }],
      }),
      { region: 'eu-west-1', defaultOwner: 'unknown' },
    );
    expect(entity).toMatchObject({
      metadata: { name: 'weekly-demand' },
      spec: { owner: 'unknown' },
    });
  });

  it('skips a stack whose name is not a valid entity name', () => {
    const entity = stackToEntity(
      workloadStack({
        StackName: `forecast-${'x'.repeat(70)}`,
        Tags: [{ Key: 'forecast-pipelines:role', Value: 'workload' }],
      }),
      { region: 'eu-west-1', defaultOwner: 'unknown' },
    );
    expect(entity).toEqual({
      stackName: `forecast-${'x'.repeat(70)}`,
      reason: expect.stringContaining('is not a valid entity name'),
    });
  });

  it('skips a stack without the role tag', () => {
    const entity = stackToEntity(workloadStack({ Tags: [] }), {
      region: 'eu-west-1',
      defaultOwner: 'unknown',
    });
    expect(isSkippedStack(entity)).toBe(true);
  });
});

describe('isUsableStackStatus', () => {
  it.each([
    ['CREATE_COMPLETE', true],
    ['UPDATE_IN_PROGRESS', true],
    ['UPDATE_ROLLBACK_COMPLETE', true],
    ['CREATE_IN_PROGRESS', false],
    ['ROLLBACK_COMPLETE', false],
    ['DELETE_IN_PROGRESS', false],
    ['DELETE_FAILED', false],
  ])('%s usable: %s', (status, usable) => {
    expect(isUsableStackStatus(status)).toBe(usable);
  });
});
