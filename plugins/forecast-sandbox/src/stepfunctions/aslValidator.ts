import path from 'node:path';

/** The result of asl-validator 4. */
export interface AslValidation {
  isValid: boolean;
  errorsText(separator?: string): string;
}

type AslValidatorFunction = (
  definition: unknown,
  options: { checkArn: boolean; checkPaths: boolean },
) => AslValidation;

type AjvConstructor = new (options: { schemas?: unknown[] }) => object;

// asl-validator 4 ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const validateAsl: AslValidatorFunction = require('asl-validator');

// The Ajv module asl-validator itself loads, wherever the package manager
// put it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ajvModule: { default?: AjvConstructor } = require(require.resolve('ajv', {
  paths: [path.dirname(require.resolve('asl-validator'))],
}));

const STATE_MACHINE_SCHEMA_ID =
  'http://asl-validator.cloud/state-machine.json#';

let schemaValidator: object | undefined;

/**
 * Validates a definition with asl-validator 4 (`checkArn` and `checkPaths`
 * on), reusing one compiled JSON schema across calls.
 *
 * asl-validator builds and compiles a new Ajv instance on every call, which
 * takes 0.2 to 1 s, while validating against a compiled schema takes well
 * under a millisecond. So, for the duration of this synchronous call only,
 * the Ajv class it constructs returns one reused instance when the schemas
 * are asl-validator's. Every other construction gets a normal Ajv. The formats and keywords the validator registers do not
 * change between calls, because the options never do.
 */
export function validateDefinition(definition: unknown): AslValidation {
  const RealAjv = ajvModule.default;
  if (typeof RealAjv !== 'function') {
    return validateAsl(definition, { checkArn: true, checkPaths: true });
  }

  function ReusedAjv(options: { schemas?: unknown[] }) {
    const isAslSchemas = (options?.schemas ?? []).some(
      schema =>
        (schema as { $id?: string } | null)?.$id === STATE_MACHINE_SCHEMA_ID,
    );
    if (!isAslSchemas) {
      return new RealAjv!(options);
    }
    if (!schemaValidator) {
      schemaValidator = new RealAjv!(options);
      return schemaValidator;
    }
    // The keywords ajv-formats adds on every call are already defined on
    // the reused instance, where adding them again would throw.
    const reused = schemaValidator;
    const view: object = new Proxy(reused, {
      get: (target, property) =>
        property === 'addKeyword' ? () => view : Reflect.get(target, property),
    });
    return view;
  }

  ajvModule.default = ReusedAjv as unknown as AjvConstructor;
  try {
    return validateAsl(definition, { checkArn: true, checkPaths: true });
  } finally {
    ajvModule.default = RealAjv;
  }
}
