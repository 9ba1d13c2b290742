import { AwsServiceError } from '../core/errors';
import { validateDefinition } from './aslValidator';

/** A JSON object as parsed from an ASL definition. */
export type JsonObject = Record<string, any>;

/** A state found anywhere in a definition, nested ones included. */
export interface StateInfo {
  type: string;
  state: JsonObject;
}

/**
 * The Task resource that replaces a Wait state whose duration comes
 * from its input (`SecondsPath`, `TimestampPath`): the runner resolves it
 * itself, so the wait can be time-compressed.
 */
export const DYNAMIC_WAIT_RESOURCE = 'arn:aws:states:::sandbox:dynamicWait';

/**
 * Node timers hold at most 2^31-1 ms; a longer timeout fires at once. AWS's
 * default Task timeout (99999999 s) is clamped to this.
 */
export const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/**
 * Parses and validates a state machine definition, throwing
 * `InvalidDefinition` with every problem found.
 */
export function parseDefinition(text: unknown): JsonObject {
  if (typeof text !== 'string' || text.trim() === '') {
    throw invalidDefinition('the definition must be a non-empty JSON string');
  }
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch (error) {
    throw invalidDefinition(
      `the definition is not valid JSON (${(error as Error).message})`,
    );
  }
  if (!isObject(definition)) {
    throw invalidDefinition('the definition must be a JSON object');
  }

  // The validator adds a QueryLanguage field to every state it visits.
  const result = validateDefinition(cloneJson(definition));
  if (!result.isValid) {
    throw invalidDefinition(result.errorsText('; '));
  }
  checkSupportedFeatures(definition);
  return definition;
}

/** Collects every state of a definition by name, Map and Parallel states included. */
export function collectStates(definition: JsonObject): Map<string, StateInfo> {
  const states = new Map<string, StateInfo>();
  forEachStatesObject(definition, statesObject => {
    for (const [name, state] of Object.entries(statesObject)) {
      states.set(name, { type: state.Type, state });
    }
  });
  return states;
}

/**
 * Returns a copy of `definition` that aws-local-stepfunctions runs the way
 * AWS does: Tasks without a timeout get AWS's unlimited default instead of
 * the library's 60 seconds, and Wait states that read their duration from
 * the input become Tasks on {@link DYNAMIC_WAIT_RESOURCE}.
 */
export function prepareForRun(definition: JsonObject): JsonObject {
  const copy = cloneJson(definition);
  if (typeof copy.TimeoutSeconds === 'number') {
    copy.TimeoutSeconds = Math.min(copy.TimeoutSeconds, MAX_TIMEOUT_SECONDS);
  }

  forEachStatesObject(copy, statesObject => {
    for (const [name, state] of Object.entries(statesObject)) {
      if (state.Type === 'Task' && state.TimeoutSecondsPath === undefined) {
        state.TimeoutSeconds = Math.min(
          state.TimeoutSeconds ?? MAX_TIMEOUT_SECONDS,
          MAX_TIMEOUT_SECONDS,
        );
      }
      if (
        state.Type === 'Wait' &&
        (state.SecondsPath !== undefined || state.TimestampPath !== undefined)
      ) {
        statesObject[name] = {
          Type: 'Task',
          Resource: DYNAMIC_WAIT_RESOURCE,
          TimeoutSeconds: MAX_TIMEOUT_SECONDS,
          ...pick(state, ['InputPath', 'OutputPath', 'Next', 'End']),
        };
      }
    }
  });
  return copy;
}

/**
 * Splits a Task resource into the `resourceType` and `resource` that the
 * history shows: `aws-sdk:forecast` and `createDatasetGroup`, or `states`
 * and `startExecution.sync:2`.
 */
export function splitResource(resource: string): {
  resourceType: string;
  resource: string;
} {
  const integration = /^arn:aws[\w-]*:states:::(.+)$/.exec(resource);
  if (integration) {
    const parts = integration[1].split(':');
    const typeLength = parts[0] === 'aws-sdk' ? 2 : 1;
    return {
      resourceType: parts.slice(0, typeLength).join(':'),
      resource: parts.slice(typeLength).join(':'),
    };
  }
  const service = /^arn:aws[\w-]*:([a-z0-9-]+):/.exec(resource);
  return { resourceType: service ? service[1] : 'unknown', resource };
}

function checkSupportedFeatures(definition: JsonObject) {
  const problems: string[] = [];
  if (definition.QueryLanguage === 'JSONata') {
    problems.push('QueryLanguage JSONata is not supported; use JSONPath');
  }
  forEachStatesObject(definition, statesObject => {
    for (const [name, state] of Object.entries(statesObject)) {
      if (state.QueryLanguage === 'JSONata') {
        problems.push(`state "${name}" uses JSONata; use JSONPath`);
      }
      if (state.Assign !== undefined) {
        problems.push(`state "${name}" uses Assign, which is not supported`);
      }
      if (state.Type === 'Map' && state.ItemReader !== undefined) {
        problems.push(
          `Map state "${name}" uses ItemReader (distributed Map), which is ` +
            'not supported; pass the items in the state input',
        );
      }
    }
  });
  if (problems.length > 0) {
    throw invalidDefinition(
      `${problems.join('; ')} (the sandbox runs definitions with ` +
        'aws-local-stepfunctions)',
    );
  }
}

function forEachStatesObject(
  machine: JsonObject,
  visit: (states: Record<string, JsonObject>) => void,
) {
  if (!isObject(machine.States)) {
    return;
  }
  visit(machine.States);
  for (const state of Object.values(machine.States as JsonObject)) {
    if (!isObject(state)) {
      continue;
    }
    for (const branch of Array.isArray(state.Branches) ? state.Branches : []) {
      forEachStatesObject(branch, visit);
    }
    for (const processor of [state.ItemProcessor, state.Iterator]) {
      if (isObject(processor)) {
        forEachStatesObject(processor, visit);
      }
    }
  }
}

// Not structuredClone: under Jest its objects come from another realm, which
// the library's plain-object check in payload templates rejects.
function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

function invalidDefinition(reason: string): AwsServiceError {
  return new AwsServiceError(
    'InvalidDefinition',
    `Invalid State Machine Definition: ${reason}`,
  );
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pick(source: JsonObject, keys: string[]): JsonObject {
  return Object.fromEntries(
    keys.filter(key => key in source).map(key => [key, source[key]]),
  );
}
