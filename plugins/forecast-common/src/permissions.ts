import { createPermission } from '@backstage/plugin-permission-common';

/** Resource type of catalog entities, as the catalog plugin defines it. */
export const CATALOG_ENTITY_RESOURCE_TYPE = 'catalog-entity';

/**
 * Permission to start a pipeline (state machine) of a workload again.
 * Checked against the workload's catalog entity, so policies can use the
 * catalog's conditions such as ownership.
 */
export const forecastPipelineExecutePermission = createPermission({
  name: 'forecast.pipeline.execute',
  attributes: { action: 'update' },
  resourceType: CATALOG_ENTITY_RESOURCE_TYPE,
});

/** Every permission this plugin defines. */
export const forecastPermissions = [forecastPipelineExecutePermission];
