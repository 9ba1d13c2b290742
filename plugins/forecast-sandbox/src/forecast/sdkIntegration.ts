/** Forecast response members that are timestamps (epoch seconds on the wire). */
const TIMESTAMP_MEMBERS = new Set([
  'CreationTime',
  'LastModificationTime',
  'TestWindowStart',
  'TestWindowEnd',
  'LastEvaluationTime',
  'LastMonitorEvaluationTime',
]);

/**
 * Converts a Forecast response from its wire shape to the shape a Step
 * Functions `aws-sdk:forecast:*` Task returns: Step Functions gives
 * timestamps as ISO 8601 strings with milliseconds
 * (`2024-01-02T03:04:05.678Z`), not epoch seconds, so state machines can
 * split or compare them as strings.
 */
export function toSdkIntegrationOutput<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.map(item => toSdkIntegrationOutput(item)) as T;
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, member]) => [
        key,
        TIMESTAMP_MEMBERS.has(key) && typeof member === 'number'
          ? new Date(Math.round(member * 1000)).toISOString()
          : toSdkIntegrationOutput(member),
      ]),
    ) as T;
  }
  return value;
}
