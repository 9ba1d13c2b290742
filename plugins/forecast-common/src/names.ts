/**
 * Name rules shared by the scaffolder actions, the backend and the sandbox.
 * The patterns are the ones CloudFormation and Amazon Forecast enforce.
 */

/** CloudFormation stack names: a letter, then letters, digits and hyphens. */
export const STACK_NAME_PATTERN = /^[a-zA-Z][-a-zA-Z0-9]*$/;
export const STACK_NAME_MAX_LENGTH = 128;

/** Amazon Forecast resource names: a letter, then letters, digits and underscores. */
export const FORECAST_NAME_PATTERN = /^[a-zA-Z][a-zA-Z0-9_]*$/;
export const FORECAST_NAME_MAX_LENGTH = 63;

/** A problem found in a name, phrased for the person who typed it. */
export interface NameProblem {
  field: string;
  value: string;
  message: string;
}

/** Checks a CloudFormation stack name and returns the broken rule, if any. */
export function checkStackName(
  field: string,
  value: string,
): NameProblem | undefined {
  if (value.length === 0 || value.length > STACK_NAME_MAX_LENGTH) {
    return {
      field,
      value,
      message: `${field} "${value}" must be 1 to ${STACK_NAME_MAX_LENGTH} characters long (it has ${value.length})`,
    };
  }
  if (!STACK_NAME_PATTERN.test(value)) {
    return {
      field,
      value,
      message: `${field} "${value}" is invalid: a stack name must start with a letter and contain only letters, digits and hyphens (pattern [a-zA-Z][-a-zA-Z0-9]*)`,
    };
  }
  return undefined;
}

/** Checks an Amazon Forecast resource name and returns the broken rule, if any. */
export function checkForecastName(
  field: string,
  value: string,
): NameProblem | undefined {
  if (value.length === 0 || value.length > FORECAST_NAME_MAX_LENGTH) {
    return {
      field,
      value,
      message: `${field} "${value}" must be 1 to ${FORECAST_NAME_MAX_LENGTH} characters long (it has ${value.length})`,
    };
  }
  if (!FORECAST_NAME_PATTERN.test(value)) {
    return {
      field,
      value,
      message: `${field} "${value}" is invalid: an Amazon Forecast name must start with a letter and contain only letters, digits and underscores (pattern [a-zA-Z][a-zA-Z0-9_]*)`,
    };
  }
  return undefined;
}

/**
 * Derives the CloudFormation stack name and the Amazon Forecast dataset group
 * name from a workload name such as `weekly-demand-eu`. The stack name keeps
 * hyphens; the Forecast name turns them into underscores. Neither is checked
 * here: pass the results to {@link checkStackName} and {@link checkForecastName}.
 */
export function deriveWorkloadNames(workloadName: string): {
  stackName: string;
  datasetGroupName: string;
} {
  const trimmed = workloadName.trim();
  return {
    stackName: `forecast-${trimmed}`,
    datasetGroupName: trimmed.replace(/-/g, '_'),
  };
}
