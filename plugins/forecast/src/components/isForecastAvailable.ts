import type { Entity } from '@backstage/catalog-model';
import { isForecastWorkloadEntity } from '@forecast-pipelines/plugin-forecast-common';

/**
 * Whether the entity is a Forecast workload: it has the
 * `amazon-forecast/stack-arn` annotation and is not a dependency stack.
 * Use it with `EntitySwitch` to show the Forecast tab and card.
 */
export function isForecastAvailable(entity: Entity): boolean {
  return isForecastWorkloadEntity(entity);
}
