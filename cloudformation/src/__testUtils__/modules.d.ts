// cfn-resolver-lib 1.1.8 ships no type declarations.
declare module 'cfn-resolver-lib' {
  export default class NodeEvaluator {
    constructor(template: unknown, parameters?: Record<string, unknown>);
    evaluateNodes(parameters?: Record<string, unknown>): unknown;
  }
}

// asl-validator 4.0.0 ships no type declarations.
declare module 'asl-validator' {
  type ValidationResult = {
    isValid: boolean;
    errors: unknown[];
    errorsText(separator?: string): string;
  };
  function validator(
    definition: unknown,
    options?: { checkPaths?: boolean; checkArn?: boolean },
  ): ValidationResult;
  export = validator;
}
