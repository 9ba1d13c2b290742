import type { Entity } from '@backstage/catalog-model';

/** Annotation holding the ARN of the workload's CloudFormation stack. */
export const FORECAST_STACK_ARN_ANNOTATION = 'amazon-forecast/stack-arn';

/**
 * Annotation naming what the stack is: `workload` for a pipeline stack,
 * `dependency` for the per-account bucket and roles stack.
 */
export const FORECAST_STACK_ROLE_ANNOTATION = 'amazon-forecast/stack-role';

/** Stack tag keys written by the scaffolder actions and read by the catalog. */
export const FORECAST_TAGS = {
  /** `workload` or `dependency`. */
  role: 'forecast-pipelines:role',
  /** The catalog entity ref the stack belongs to, for example `component:default/weekly-demand`. */
  entityRef: 'forecast-pipelines:entity-ref',
  /** The owner entity ref, for example `group:default/analytics`. */
  owner: 'forecast-pipelines:owner',
  /** The entity title shown in the catalog. */
  title: 'forecast-pipelines:title',
  /** The entity description shown in the catalog. */
  description: 'forecast-pipelines:description',
  /** The software template that created the stack. */
  template: 'forecast-pipelines:template',
  /** The user who ran the template. */
  createdBy: 'forecast-pipelines:created-by',
} as const;

/** Stack roles used in the {@link FORECAST_TAGS.role} tag. */
export type ForecastStackRole = 'workload' | 'dependency';

/** Returns the workload stack ARN of an entity, or undefined when absent. */
export function getForecastStackArn(entity: Entity): string | undefined {
  return entity.metadata.annotations?.[FORECAST_STACK_ARN_ANNOTATION];
}

/** Whether the entity carries a Forecast workload stack annotation. */
export function isForecastWorkloadEntity(entity: Entity): boolean {
  const role = entity.metadata.annotations?.[FORECAST_STACK_ROLE_ANNOTATION];
  return Boolean(getForecastStackArn(entity)) && role !== 'dependency';
}
