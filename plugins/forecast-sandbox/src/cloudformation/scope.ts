import { AwsServiceError } from '../core/errors';
import { evaluateCondition, type EvaluationScope } from './intrinsics';
import { parameterReferences } from './parameters';
import type { StackRecord } from './records';
import type { Template } from './template';

/** Reads the exports of other stacks for `Fn::ImportValue`. */
export type ExportReader = (name: string) => string;

/**
 * Builds the scope the intrinsic functions of `template` run in for `stack`:
 * parameters, pseudo parameters, conditions (computed on first use, so that
 * one condition may name another), and the resources deployed so far.
 */
export function stackScope(
  stack: StackRecord,
  template: Template,
  readExport: ExportReader,
  imported: Set<string> = new Set(),
): EvaluationScope {
  const references: Record<string, string | string[]> = {
    ...parameterReferences(template, stack.parameters),
    'AWS::AccountId': stack.accountId,
    'AWS::Region': stack.region,
    'AWS::StackName': stack.stackName,
    'AWS::StackId': stack.stackId,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::NotificationARNs': stack.notificationArns,
  };

  const computed = new Map<string, boolean>();
  const declared = template.Conditions ?? {};
  const scope: EvaluationScope = {
    references,
    mappings: template.Mappings ?? {},
    region: stack.region,
    conditions: new Proxy({} as Record<string, boolean>, {
      has: (_target, name) => typeof name === 'string' && name in declared,
      get: (_target, name) => {
        if (typeof name !== 'string' || !(name in declared)) return undefined;
        if (!computed.has(name)) {
          computed.set(name, evaluateCondition(declared[name], scope));
        }
        return computed.get(name);
      },
    }),
    resourceRef(logicalId) {
      const resource = stack.resources[logicalId];
      if (resource?.physicalId) {
        return resource.physicalId;
      }
      throw unavailable(template, logicalId, scope);
    },
    resourceAttribute(logicalId, attribute) {
      const resource = stack.resources[logicalId];
      if (!resource?.physicalId) {
        throw unavailable(template, logicalId, scope);
      }
      const value = resource.attributes[attribute];
      if (value === undefined) {
        throw new AwsServiceError(
          'ValidationError',
          `Template error: resource ${logicalId} does not support attribute type ${attribute} in Fn::GetAtt`,
        );
      }
      return value;
    },
    importValue(name) {
      imported.add(name);
      return readExport(name);
    },
  };
  return scope;
}

function unavailable(
  template: Template,
  logicalId: string,
  scope: EvaluationScope,
): AwsServiceError {
  const declaration = template.Resources[logicalId];
  if (declaration?.Condition && !scope.conditions[declaration.Condition]) {
    return new AwsServiceError(
      'ValidationError',
      `Template error: ${logicalId} is referenced, but its condition ${declaration.Condition} is false, so it is not created. Guard the reference with Fn::If on the same condition.`,
    );
  }
  return new AwsServiceError(
    'ValidationError',
    `Template error: resource ${logicalId} is referenced before it was created`,
  );
}

/** Whether a resource's Condition, if any, holds. */
export function isIncluded(
  template: Template,
  logicalId: string,
  scope: EvaluationScope,
): boolean {
  const condition = template.Resources[logicalId].Condition;
  return condition === undefined || scope.conditions[condition] === true;
}
