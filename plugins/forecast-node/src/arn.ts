import { InputError } from '@backstage/errors';

/** The parts of an ARN: `arn:partition:service:region:account:resource`. */
export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

/** Splits an ARN into its parts; throws InputError when it is not an ARN. */
export function parseArn(arn: string): ParsedArn {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') {
    throw new InputError(
      `Invalid ARN "${arn}": expected arn:partition:service:region:account:resource`,
    );
  }
  const [, partition, service, region, accountId, ...rest] = parts;
  return { partition, service, region, accountId, resource: rest.join(':') };
}
