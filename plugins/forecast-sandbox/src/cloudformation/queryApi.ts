import { AwsServiceError } from '../core/errors';
import type { RequestContext } from '../core/types';
import {
  type QueryFields,
  readQueryStringList,
  readQueryStructList,
  requireQueryField,
} from '../protocols/awsQuery';
import type { XmlValue } from '../protocols/xml';
import type {
  CloudFormationService,
  StackRequest,
} from './CloudFormationService';
import type { ResourceRecord, StackEvent, StackRecord } from './records';

const PAGE_SIZE = 100;

function date(epochMs: number | undefined): Date | undefined {
  return epochMs === undefined ? undefined : new Date(epochMs);
}

function stackRequest(fields: QueryFields): StackRequest {
  return {
    stackName: requireQueryField(fields, 'StackName'),
    templateBody: fields.TemplateBody,
    templateUrl: fields.TemplateURL,
    usePreviousTemplate: fields.UsePreviousTemplate === 'true',
    parameters: readQueryStructList(fields, 'Parameters').map(p => ({
      key: p.ParameterKey,
      value: p.ParameterValue,
      usePreviousValue: p.UsePreviousValue === 'true',
    })),
    capabilities: readQueryStringList(fields, 'Capabilities'),
    tags:
      fields['Tags.member.1.Key'] !== undefined || fields.Tags === ''
        ? readQueryStructList(fields, 'Tags').map(t => ({
            Key: t.Key,
            Value: t.Value ?? '',
          }))
        : undefined,
    notificationArns: readQueryStringList(fields, 'NotificationARNs'),
    onFailure: fields.OnFailure,
    disableRollback:
      fields.DisableRollback === undefined
        ? undefined
        : fields.DisableRollback === 'true',
  };
}

function stackToWire(stack: StackRecord): XmlValue {
  return {
    StackId: stack.stackId,
    StackName: stack.stackName,
    Description: stack.description,
    Parameters: stack.parameters.map(p => ({
      ParameterKey: p.key,
      ParameterValue: p.noEcho ? '****' : p.value,
      ResolvedValue: p.resolvedValue,
    })),
    CreationTime: date(stack.creationTime),
    LastUpdatedTime: date(stack.lastUpdatedTime),
    DeletionTime: date(stack.deletionTime),
    StackStatus: stack.status,
    StackStatusReason: stack.statusReason,
    DisableRollback: stack.onFailure === 'DO_NOTHING',
    NotificationARNs: stack.notificationArns,
    Capabilities: stack.capabilities,
    Outputs: stack.outputs.map(o => ({ ...o })),
    Tags: stack.tags.map(t => ({ ...t })),
    EnableTerminationProtection: false,
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
  };
}

function eventToWire(event: StackEvent): XmlValue {
  return { ...event, Timestamp: new Date(event.Timestamp) };
}

function resourceFields(resource: ResourceRecord): Record<string, XmlValue> {
  return {
    LogicalResourceId: resource.logicalId,
    PhysicalResourceId: resource.physicalId,
    ResourceType: resource.type,
    ResourceStatus: resource.status,
    ResourceStatusReason: resource.statusReason,
    DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
  };
}

function page<T>(
  items: T[],
  token: string | undefined,
): { items: T[]; next?: string } {
  const start = token ? Number(token) : 0;
  if (!Number.isInteger(start) || start < 0) {
    throw new AwsServiceError(
      'ValidationError',
      `Invalid NextToken "${token}". Pass the NextToken of the previous page unchanged.`,
    );
  }
  const end = start + PAGE_SIZE;
  return {
    items: items.slice(start, end),
    next: end < items.length ? String(end) : undefined,
  };
}

/**
 * Maps each awsQuery CloudFormation action to the service and shapes its
 * result as the `<ActionResult>` content the SDK parses.
 */
export async function handleCloudFormationAction(
  service: CloudFormationService,
  action: string,
  fields: QueryFields,
  context: RequestContext,
): Promise<XmlValue> {
  switch (action) {
    case 'CreateStack':
      return {
        StackId: await service.createStack(stackRequest(fields), context),
      };
    case 'UpdateStack':
      return {
        StackId: await service.updateStack(stackRequest(fields), context),
      };
    case 'DeleteStack':
      service.deleteStack(requireQueryField(fields, 'StackName'));
      return {};
    case 'DescribeStacks': {
      const { items, next } = page(
        service.describeStacks(fields.StackName),
        fields.NextToken,
      );
      return { Stacks: items.map(stackToWire), NextToken: next };
    }
    case 'ListStacks': {
      const stacks = service.listStacks(
        readQueryStringList(fields, 'StackStatusFilter'),
      );
      const { items, next } = page(stacks, fields.NextToken);
      return {
        StackSummaries: items.map(s => ({
          StackId: s.stackId,
          StackName: s.stackName,
          TemplateDescription: s.description,
          CreationTime: date(s.creationTime),
          LastUpdatedTime: date(s.lastUpdatedTime),
          DeletionTime: date(s.deletionTime),
          StackStatus: s.status,
          StackStatusReason: s.statusReason,
        })),
        NextToken: next,
      };
    }
    case 'DescribeStackEvents': {
      const events = service.describeStackEvents(
        requireQueryField(fields, 'StackName'),
      );
      const { items, next } = page(events, fields.NextToken);
      return { StackEvents: items.map(eventToWire), NextToken: next };
    }
    case 'ListStackResources': {
      const stack = service.requireStack(
        requireQueryField(fields, 'StackName'),
        true,
      );
      const { items, next } = page(
        Object.values(stack.resources),
        fields.NextToken,
      );
      return {
        StackResourceSummaries: items.map(r => ({
          ...resourceFields(r),
          LastUpdatedTimestamp: new Date(r.timestamp),
        })),
        NextToken: next,
      };
    }
    case 'DescribeStackResources':
    case 'DescribeStackResource': {
      const stack = service.requireStack(
        requireQueryField(fields, 'StackName'),
        true,
      );
      const logicalId = fields.LogicalResourceId;
      const resources = Object.values(stack.resources).filter(
        r => !logicalId || r.logicalId === logicalId,
      );
      if (logicalId && resources.length === 0) {
        throw new AwsServiceError(
          'ValidationError',
          `Resource ${logicalId} does not exist for stack ${stack.stackName}`,
        );
      }
      const wire = resources.map(r => ({
        StackName: stack.stackName,
        StackId: stack.stackId,
        ...resourceFields(r),
        Timestamp: new Date(r.timestamp),
        LastUpdatedTimestamp: new Date(r.timestamp),
      }));
      return action === 'DescribeStackResource'
        ? { StackResourceDetail: wire[0] }
        : { StackResources: wire };
    }
    case 'GetTemplate': {
      const stack = service.requireStack(
        requireQueryField(fields, 'StackName'),
        true,
      );
      return {
        TemplateBody: stack.templateBody,
        StagesAvailable: ['Original', 'Processed'],
      };
    }
    case 'ValidateTemplate':
    case 'GetTemplateSummary': {
      const { template, capability } = await service.validateTemplate({
        templateBody: fields.TemplateBody,
        templateUrl: fields.TemplateURL,
      });
      const summary = action === 'GetTemplateSummary';
      return {
        Description: template.Description,
        Parameters: Object.entries(template.Parameters ?? {}).map(
          ([key, declaration]) => ({
            ParameterKey: key,
            DefaultValue:
              declaration.Default === undefined
                ? undefined
                : String(declaration.Default),
            NoEcho: String(declaration.NoEcho) === 'true',
            Description: declaration.Description,
            ParameterType: summary ? declaration.Type : undefined,
            ParameterConstraints:
              summary && declaration.AllowedValues
                ? { AllowedValues: declaration.AllowedValues.map(String) }
                : undefined,
          }),
        ),
        Capabilities: capability ? [capability] : [],
        CapabilitiesReason: capability
          ? `The following resource(s) require capabilities: [${[
              ...new Set(
                Object.values(template.Resources)
                  .map(r => r.Type)
                  .filter(t => t.startsWith('AWS::IAM::')),
              ),
            ].join(', ')}]`
          : undefined,
        ResourceTypes: summary
          ? [...new Set(Object.values(template.Resources).map(r => r.Type))]
          : undefined,
        Version: summary ? template.AWSTemplateFormatVersion : undefined,
        DeclaredTransforms: [],
      };
    }
    case 'ListExports': {
      const { items, next } = page(service.listExports(), fields.NextToken);
      return { Exports: items, NextToken: next };
    }
    default:
      throw new AwsServiceError(
        'InvalidAction',
        `The action ${action} is not valid for the sandbox's CloudFormation. Supported: CreateStack, UpdateStack, DeleteStack, DescribeStacks, ListStacks, DescribeStackEvents, ListStackResources, DescribeStackResources, DescribeStackResource, GetTemplate, GetTemplateSummary, ValidateTemplate, ListExports`,
      );
  }
}
