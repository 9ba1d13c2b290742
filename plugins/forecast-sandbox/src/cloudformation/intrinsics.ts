import { AwsServiceError } from '../core/errors';

/** Marks a value removed by `Ref: AWS::NoValue`. */
export const NO_VALUE = Symbol('AWS::NoValue');

/** Everything an intrinsic function may read while a stack is deployed. */
export interface EvaluationScope {
  /** Parameters and pseudo parameters; a list parameter is a string array. */
  references: Record<string, string | string[]>;
  conditions: Record<string, boolean>;
  mappings: Record<string, Record<string, Record<string, unknown>>>;
  /** Ref of a deployed resource: its physical id. */
  resourceRef(logicalId: string): string;
  /** Fn::GetAtt of a deployed resource. */
  resourceAttribute(logicalId: string, attribute: string): unknown;
  /** Fn::ImportValue: an export of another stack. */
  importValue(name: string): string;
  region: string;
}

function templateError(message: string): AwsServiceError {
  return new AwsServiceError('ValidationError', `Template error: ${message}`);
}

/** Whether `value` is a single-key object naming an intrinsic function. */
export function intrinsicName(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return undefined;
  }
  const keys = Object.keys(value);
  if (keys.length !== 1) {
    return undefined;
  }
  const key = keys[0];
  return key === 'Ref' || key === 'Condition' || key.startsWith('Fn::')
    ? key
    : undefined;
}

/** The `${Name}` and `${Resource.Attribute}` variables of a Fn::Sub string, without `${!Literal}`. */
export function subVariables(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(/\$\{([^}]*)\}/g)) {
    if (!match[1].startsWith('!')) {
      names.push(match[1].trim());
    }
  }
  return names;
}

function asString(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  throw templateError(
    `${where} expects a string, got ${JSON.stringify(value)}`,
  );
}

function asList(value: unknown, where: string): unknown[] {
  if (Array.isArray(value)) return value;
  throw templateError(`${where} expects a list, got ${JSON.stringify(value)}`);
}

/** Evaluates every intrinsic function in `value`; `AWS::NoValue` entries are dropped. */
export function evaluate(value: unknown, scope: EvaluationScope): unknown {
  const name = intrinsicName(value);
  if (name) {
    return evaluateFunction(
      name,
      (value as Record<string, unknown>)[name],
      scope,
    );
  }
  if (Array.isArray(value)) {
    return value
      .map(item => evaluate(item, scope))
      .filter(item => item !== NO_VALUE);
  }
  if (value && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const evaluated = evaluate(child, scope);
      if (evaluated !== NO_VALUE) {
        result[key] = evaluated;
      }
    }
    return result;
  }
  return value;
}

/** Evaluates a condition expression to a boolean. */
export function evaluateCondition(
  value: unknown,
  scope: EvaluationScope,
): boolean {
  const result = evaluate(value, scope);
  if (typeof result === 'boolean') return result;
  if (result === 'true' || result === 'false') return result === 'true';
  throw templateError(
    `a condition must evaluate to true or false, got ${JSON.stringify(result)}`,
  );
}

function ref(name: string, scope: EvaluationScope): unknown {
  if (name === 'AWS::NoValue') return NO_VALUE;
  if (name in scope.references) return scope.references[name];
  return scope.resourceRef(name);
}

function substitute(
  text: string,
  variables: Record<string, unknown>,
  scope: EvaluationScope,
): string {
  return text.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
    if (inner.startsWith('!')) {
      return `\${${inner.slice(1)}}`;
    }
    const variable = inner.trim();
    if (variable in variables) {
      return asString(
        evaluate(variables[variable], scope),
        `Fn::Sub variable ${variable}`,
      );
    }
    if (variable in scope.references) {
      const found = scope.references[variable];
      return Array.isArray(found) ? found.join(',') : found;
    }
    const dot = variable.indexOf('.');
    if (dot > 0) {
      return asString(
        scope.resourceAttribute(
          variable.slice(0, dot),
          variable.slice(dot + 1),
        ),
        `Fn::Sub ${whole}`,
      );
    }
    return asString(scope.resourceRef(variable), `Fn::Sub ${whole}`);
  });
}

function evaluateFunction(
  name: string,
  argument: unknown,
  scope: EvaluationScope,
): unknown {
  switch (name) {
    case 'Ref':
      return ref(asString(argument, 'Ref'), scope);
    case 'Condition': {
      const condition = asString(argument, 'Condition');
      if (!(condition in scope.conditions)) {
        throw templateError(`unresolved condition dependency ${condition}`);
      }
      return scope.conditions[condition];
    }
    case 'Fn::Sub': {
      if (typeof argument === 'string') return substitute(argument, {}, scope);
      const [text, variables] = asList(argument, 'Fn::Sub');
      return substitute(
        asString(text, 'Fn::Sub'),
        (variables ?? {}) as Record<string, unknown>,
        scope,
      );
    }
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = asList(argument, 'Fn::GetAtt');
      return scope.resourceAttribute(
        asString(logicalId, 'Fn::GetAtt'),
        asString(evaluate(attribute, scope), 'Fn::GetAtt'),
      );
    }
    case 'Fn::Join': {
      const [delimiter, items] = asList(argument, 'Fn::Join');
      const list = asList(evaluate(items, scope), 'Fn::Join');
      return list
        .map(item => asString(item, 'Fn::Join'))
        .join(asString(delimiter, 'Fn::Join'));
    }
    case 'Fn::Select': {
      const [index, items] = asList(argument, 'Fn::Select');
      const list = asList(evaluate(items, scope), 'Fn::Select');
      const position = Number(evaluate(index, scope));
      if (
        !Number.isInteger(position) ||
        position < 0 ||
        position >= list.length
      ) {
        throw templateError(
          `Fn::Select index ${position} is outside the list of ${list.length} items`,
        );
      }
      return list[position];
    }
    case 'Fn::Split': {
      const [delimiter, text] = asList(argument, 'Fn::Split');
      return asString(evaluate(text, scope), 'Fn::Split').split(
        asString(delimiter, 'Fn::Split'),
      );
    }
    case 'Fn::If': {
      const [condition, whenTrue, whenFalse] = asList(argument, 'Fn::If');
      const conditionName = asString(condition, 'Fn::If');
      if (!(conditionName in scope.conditions)) {
        throw templateError(
          `unresolved condition dependency ${conditionName} in Fn::If`,
        );
      }
      return evaluate(
        scope.conditions[conditionName] ? whenTrue : whenFalse,
        scope,
      );
    }
    case 'Fn::Equals': {
      const [left, right] = asList(argument, 'Fn::Equals').map(item =>
        evaluate(item, scope),
      );
      // CloudFormation compares values as strings, so 1 equals '1'.
      return typeof left === 'object' || typeof right === 'object'
        ? JSON.stringify(left) === JSON.stringify(right)
        : String(left) === String(right);
    }
    case 'Fn::Not':
      return !evaluateCondition(asList(argument, 'Fn::Not')[0], scope);
    case 'Fn::And':
      return asList(argument, 'Fn::And').every(item =>
        evaluateCondition(item, scope),
      );
    case 'Fn::Or':
      return asList(argument, 'Fn::Or').some(item =>
        evaluateCondition(item, scope),
      );
    case 'Fn::ImportValue':
      return scope.importValue(
        asString(evaluate(argument, scope), 'Fn::ImportValue'),
      );
    case 'Fn::FindInMap': {
      const [map, top, second] = asList(argument, 'Fn::FindInMap').map(item =>
        asString(evaluate(item, scope), 'Fn::FindInMap'),
      );
      const found = scope.mappings[map]?.[top]?.[second];
      if (found === undefined) {
        throw templateError(
          `Fn::FindInMap found no value for [${map}, ${top}, ${second}] in Mappings`,
        );
      }
      return found;
    }
    case 'Fn::Base64':
      return Buffer.from(
        asString(evaluate(argument, scope), 'Fn::Base64'),
      ).toString('base64');
    case 'Fn::GetAZs':
      return ['a', 'b', 'c'].map(zone => `${scope.region}${zone}`);
    default:
      throw templateError(
        `the function ${name} is not supported by the sandbox`,
      );
  }
}
