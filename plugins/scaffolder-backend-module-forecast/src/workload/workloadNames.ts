import { InputError } from '@backstage/errors';
import {
  checkForecastName,
  checkStackName,
  deriveWorkloadNames,
} from '@forecast-pipelines/plugin-forecast-common';

/** Names derived from the workload name. */
export interface WorkloadNames {
  stackName: string;
  datasetGroupName: string;
  entityName: string;
}

/** Catalog entity names: at most 63 characters of letters, digits and `-_.`, starting and ending alphanumerically. */
const ENTITY_NAME_PATTERN = /^[a-zA-Z0-9]([-_.]?[a-zA-Z0-9])*$/;

/**
 * Derives and checks the stack, dataset group and entity names of a workload.
 * Throws an InputError stating the rule before any AWS call is made.
 */
export function deriveCheckedWorkloadNames(name: string): WorkloadNames {
  const problems: string[] = [];
  const trimmed = name.trim();
  const { stackName, datasetGroupName } = deriveWorkloadNames(trimmed);

  if (trimmed.length > 63 || !ENTITY_NAME_PATTERN.test(trimmed)) {
    problems.push(
      `name "${trimmed}" is not a valid catalog entity name: use 1 to 63 letters, digits, hyphens, underscores or dots, starting and ending with a letter or digit (for example weekly-demand)`,
    );
  }
  const stackProblem = checkStackName('derived stack name', stackName);
  if (stackProblem) {
    problems.push(stackProblem.message);
  }
  const forecastProblem = checkForecastName(
    'derived dataset group name',
    datasetGroupName,
  );
  if (forecastProblem) {
    problems.push(forecastProblem.message);
  }

  if (problems.length > 0) {
    throw new InputError(
      `Invalid workload name "${trimmed}": ${problems.join('; ')}`,
    );
  }
  return { stackName, datasetGroupName, entityName: trimmed };
}
