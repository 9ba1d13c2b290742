/** Dataset domains and the fields each requires in a target time series. */
export const DOMAINS = [
  'RETAIL',
  'CUSTOM',
  'INVENTORY_PLANNING',
  'EC2_CAPACITY',
  'WORK_FORCE',
  'WEB_TRAFFIC',
  'METRICS',
] as const;

/** A dataset domain. */
export type Domain = (typeof DOMAINS)[number];

/** Identifier and target attribute names per domain. */
export const DOMAIN_FIELDS: Record<
  Domain,
  { identifier: string; target: string }
> = {
  CUSTOM: { identifier: 'item_id', target: 'target_value' },
  RETAIL: { identifier: 'item_id', target: 'demand' },
  INVENTORY_PLANNING: { identifier: 'item_id', target: 'demand' },
  EC2_CAPACITY: { identifier: 'instance_type', target: 'number_of_instances' },
  WORK_FORCE: { identifier: 'workforce_type', target: 'workforce_demand' },
  WEB_TRAFFIC: { identifier: 'item_id', target: 'value' },
  METRICS: { identifier: 'metric_name', target: 'metric_value' },
};

/** Dataset types. */
export const DATASET_TYPES = [
  'TARGET_TIME_SERIES',
  'RELATED_TIME_SERIES',
  'ITEM_METADATA',
] as const;

/** Attribute types of a schema. */
export const ATTRIBUTE_TYPES = [
  'string',
  'integer',
  'float',
  'timestamp',
  'geolocation',
] as const;

/** Optimization metrics of CreateAutoPredictor. */
export const OPTIMIZATION_METRICS = [
  'WAPE',
  'RMSE',
  'AverageWeightedQuantileLoss',
  'MASE',
  'MAPE',
] as const;
