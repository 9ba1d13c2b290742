import type { StateMachineHost, TaskDispatcher } from './core/stateMachines';
import type { JsonService, ObjectStore, SandboxLogger } from './core/types';

function isMissingModule(error: unknown, folder: string): boolean {
  const e = error as NodeJS.ErrnoException;
  return e?.code === 'MODULE_NOT_FOUND' && String(e.message).includes(folder);
}

/**
 * Loads the Step Functions service when this build has it.
 *
 * NOTE: Step Functions and Forecast are separate parts of the sandbox that
 * land on their own schedule; until a part exists, its requests get an
 * UnknownOperationException that says so.
 */
export function loadStepFunctions(options: {
  dataDir: string;
  dispatcher: TaskDispatcher;
  logger: SandboxLogger;
  waitCompression: number;
}): StateMachineHost | undefined {
  let loaded: Record<string, any>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require('./stepfunctions');
  } catch (error) {
    if (isMissingModule(error, 'stepfunctions')) return undefined;
    throw error;
  }
  return new loaded.StepFunctionsService(options) as StateMachineHost;
}

/** Loads the Forecast service when this build has it. */
export function loadForecast(options: {
  dataDir: string;
  objects: ObjectStore;
  logger: SandboxLogger;
}): JsonService | undefined {
  let loaded: Record<string, any>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require('./forecast');
  } catch (error) {
    if (isMissingModule(error, 'forecast')) return undefined;
    throw error;
  }
  return loaded.createForecastService(options) as JsonService;
}
