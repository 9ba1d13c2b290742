import { AwsServiceError } from '../core/errors';

// Characters AWS rejects in state machine and execution names: whitespace,
// brackets, wildcards, the listed punctuation and control characters.
const FORBIDDEN_NAME_CHARACTERS =
  // eslint-disable-next-line no-control-regex
  /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/u;

/**
 * Checks a state machine or execution name against the AWS rules and throws
 * `InvalidName` naming the rule it breaks.
 */
export function checkName(kind: 'state machine' | 'execution', name: string) {
  if (name.length < 1 || name.length > 80) {
    throw new AwsServiceError(
      'InvalidName',
      `Invalid ${kind} name "${name}": it must be 1 to 80 characters long`,
    );
  }
  const forbidden = FORBIDDEN_NAME_CHARACTERS.exec(name);
  if (forbidden) {
    throw new AwsServiceError(
      'InvalidName',
      `Invalid ${kind} name "${name}": it contains ${JSON.stringify(
        forbidden[0],
      )}; names must not contain whitespace, brackets < > { } [ ], ` +
        'wildcards ? *, the characters " # % \\ ^ | ~ ` $ & , ; : / or ' +
        'control characters',
    );
  }
}

/** Builds the ARN of a state machine. */
export function stateMachineArn(
  region: string,
  accountId: string,
  name: string,
): string {
  return `arn:aws:states:${region}:${accountId}:stateMachine:${name}`;
}

/** Builds the ARN of an execution of the state machine `machineArn`. */
export function executionArn(machineArn: string, name: string): string {
  const [prefix, machineName] = machineArn.split(':stateMachine:');
  return `${prefix}:execution:${machineName}:${name}`;
}

/** Parses a state machine ARN; throws `InvalidArn` when malformed. */
export function parseStateMachineArn(arn: unknown): {
  region: string;
  accountId: string;
  name: string;
} {
  const match =
    typeof arn === 'string'
      ? /^arn:aws[\w-]*:states:([a-z0-9-]+):(\d{12}):stateMachine:([^:]+)$/.exec(
          arn,
        )
      : null;
  if (!match) {
    throw new AwsServiceError(
      'InvalidArn',
      `Invalid Arn: '${String(arn)}' is not a state machine ARN; expected ` +
        'arn:aws:states:<region>:<account>:stateMachine:<name>',
    );
  }
  return { region: match[1], accountId: match[2], name: match[3] };
}

/** Parses an execution ARN into its state machine ARN and name; throws `InvalidArn`. */
export function parseExecutionArn(arn: unknown): {
  stateMachineArn: string;
  name: string;
} {
  const match =
    typeof arn === 'string'
      ? /^(arn:aws[\w-]*:states:[a-z0-9-]+:\d{12}):execution:([^:]+):([^:]+)$/.exec(
          arn,
        )
      : null;
  if (!match) {
    throw new AwsServiceError(
      'InvalidArn',
      `Invalid Arn: '${String(arn)}' is not an execution ARN; expected ` +
        'arn:aws:states:<region>:<account>:execution:<state machine>:<name>',
    );
  }
  return {
    stateMachineArn: `${match[1]}:stateMachine:${match[2]}`,
    name: match[3],
  };
}

/** Returns whether `arn` has the shape of an IAM role ARN. */
export function isRoleArn(arn: unknown): arn is string {
  return (
    typeof arn === 'string' && /^arn:aws[\w-]*:iam::\d{12}:role\/.+$/.test(arn)
  );
}
