import path from 'node:path';
import { AwsServiceError } from '../core/errors';
import { JsonFileStore } from '../core/JsonFileStore';
import type { JsonService, RequestContext, SandboxLogger } from '../core/types';

/** A stored parameter. */
export interface ParameterRecord {
  name: string;
  type: 'String' | 'StringList' | 'SecureString';
  value: string;
  version: number;
  description?: string;
  dataType: string;
  tier: string;
  lastModified: number;
  accountId: string;
  region: string;
}

const NAME_PATTERN = /^[a-zA-Z0-9_.\-/]+$/;
const MAX_NAME_LENGTH = 1011;
const MAX_VALUE_LENGTH = 4096;

/**
 * Systems Manager Parameter Store (awsJson1_1, `AmazonSSM.*`): the
 * operations the stacks and state machines use, kept in
 * `<dataDir>/ssm/parameters.json`.
 */
export class SsmService implements JsonService {
  private readonly parameters: JsonFileStore<ParameterRecord>;

  constructor(dataDir: string, private readonly logger: SandboxLogger) {
    this.parameters = new JsonFileStore(
      path.join(dataDir, 'ssm', 'parameters.json'),
    );
  }

  async handle(
    operation: string,
    input: Record<string, unknown>,
    context: RequestContext,
  ): Promise<Record<string, unknown>> {
    switch (operation) {
      case 'PutParameter':
        return this.putParameter(input, context);
      case 'GetParameter':
        return { Parameter: this.toWire(this.find(input.Name, context)) };
      case 'GetParameters':
        return this.getParameters(input, context);
      case 'GetParametersByPath':
        return this.getParametersByPath(input, context);
      case 'DeleteParameter':
        this.parameters.delete(
          this.key(this.find(input.Name, context).name, context),
        );
        return {};
      case 'DeleteParameters':
        return this.deleteParameters(input, context);
      case 'DescribeParameters':
        return this.describeParameters(context);
      default:
        throw new AwsServiceError(
          'UnknownOperationException',
          `The sandbox's SSM does not support the operation ${operation}. Supported: PutParameter, GetParameter, GetParameters, GetParametersByPath, DeleteParameter, DeleteParameters, DescribeParameters`,
        );
    }
  }

  /** Creates or overwrites a parameter; used by CloudFormation too. */
  putParameter(
    input: Record<string, unknown>,
    context: RequestContext,
  ): Record<string, unknown> {
    const name = this.checkName(input.Name);
    const value = input.Value;
    if (typeof value !== 'string' || value.length === 0) {
      throw new AwsServiceError(
        'ValidationException',
        `1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1 (parameter ${name})`,
      );
    }
    if (value.length > MAX_VALUE_LENGTH) {
      throw new AwsServiceError(
        'ValidationException',
        `The value of parameter ${name} is ${value.length} characters long; the maximum for the Standard tier is ${MAX_VALUE_LENGTH}`,
      );
    }
    const type =
      (input.Type as ParameterRecord['type'] | undefined) ?? undefined;
    if (type && !['String', 'StringList', 'SecureString'].includes(type)) {
      throw new AwsServiceError(
        'ValidationException',
        `Invalid Type "${type}" for parameter ${name}: it must be String, StringList or SecureString`,
      );
    }

    const key = this.key(name, context);
    const existing = this.parameters.get(key);
    if (existing && input.Overwrite !== true) {
      throw new AwsServiceError(
        'ParameterAlreadyExists',
        `The parameter ${name} already exists. To overwrite this value, set the overwrite option in the request to true.`,
      );
    }
    if (!existing && !type) {
      throw new AwsServiceError(
        'ValidationException',
        `Parameter ${name} does not exist yet, so a Type (String, StringList or SecureString) is required`,
      );
    }

    const record: ParameterRecord = {
      name,
      type: type ?? existing!.type,
      value,
      version: (existing?.version ?? 0) + 1,
      description:
        (input.Description as string | undefined) ?? existing?.description,
      dataType: (input.DataType as string | undefined) ?? 'text',
      tier: (input.Tier as string | undefined) ?? 'Standard',
      lastModified: Date.now() / 1000,
      accountId: context.accountId,
      region: context.region,
    };
    this.parameters.set(key, record);
    this.logger.debug(`SSM parameter ${name} is now version ${record.version}`);
    return { Version: record.version, Tier: record.tier };
  }

  /** Returns a parameter's value; raises ParameterNotFound. */
  getValue(name: string, context: RequestContext): string {
    return this.find(name, context).value;
  }

  /** Deletes a parameter if it exists; used by CloudFormation. */
  deleteIfExists(name: string, context: RequestContext): void {
    this.parameters.delete(this.key(name, context));
  }

  private getParameters(
    input: Record<string, unknown>,
    context: RequestContext,
  ): Record<string, unknown> {
    const names = (input.Names as string[] | undefined) ?? [];
    if (names.length === 0 || names.length > 10) {
      throw new AwsServiceError(
        'ValidationException',
        `GetParameters takes 1 to 10 names; the request has ${names.length}`,
      );
    }
    const found = [];
    const invalid = [];
    for (const name of names) {
      const record = this.parameters.get(this.key(name, context));
      if (record) {
        found.push(this.toWire(record));
      } else {
        invalid.push(name);
      }
    }
    return { Parameters: found, InvalidParameters: invalid };
  }

  private getParametersByPath(
    input: Record<string, unknown>,
    context: RequestContext,
  ): Record<string, unknown> {
    const requested = String(input.Path ?? '');
    if (!requested.startsWith('/')) {
      throw new AwsServiceError(
        'ValidationException',
        `Invalid Path "${requested}": a parameter path must start with "/"`,
      );
    }
    const prefix = requested.endsWith('/') ? requested : `${requested}/`;
    const recursive = input.Recursive === true;
    const matching = this.parameters
      .values()
      .filter(
        p => p.accountId === context.accountId && p.region === context.region,
      )
      .filter(p => p.name.startsWith(prefix))
      .filter(p => recursive || !p.name.slice(prefix.length).includes('/'))
      .sort((a, b) => (a.name < b.name ? -1 : 1));

    const maxResults = Number(input.MaxResults ?? 10);
    if (!(maxResults >= 1 && maxResults <= 10)) {
      throw new AwsServiceError(
        'ValidationException',
        `Invalid MaxResults ${input.MaxResults}: it must be between 1 and 10`,
      );
    }
    const start = input.NextToken ? Number(input.NextToken) : 0;
    const page = matching.slice(start, start + maxResults);
    const next =
      start + maxResults < matching.length
        ? String(start + maxResults)
        : undefined;
    return { Parameters: page.map(p => this.toWire(p)), NextToken: next };
  }

  private deleteParameters(
    input: Record<string, unknown>,
    context: RequestContext,
  ): Record<string, unknown> {
    const deleted = [];
    const invalid = [];
    for (const name of (input.Names as string[] | undefined) ?? []) {
      if (this.parameters.delete(this.key(name, context))) {
        deleted.push(name);
      } else {
        invalid.push(name);
      }
    }
    return { DeletedParameters: deleted, InvalidParameters: invalid };
  }

  private describeParameters(context: RequestContext): Record<string, unknown> {
    const parameters = this.parameters
      .values()
      .filter(
        p => p.accountId === context.accountId && p.region === context.region,
      )
      .map(p => ({
        Name: p.name,
        Type: p.type,
        Version: p.version,
        Description: p.description,
        LastModifiedDate: p.lastModified,
        Tier: p.tier,
        DataType: p.dataType,
      }));
    return { Parameters: parameters };
  }

  private find(name: unknown, context: RequestContext): ParameterRecord {
    const record = this.parameters.get(this.key(String(name ?? ''), context));
    if (!record) {
      throw new AwsServiceError(
        'ParameterNotFound',
        `Parameter ${String(
          name,
        )} not found. Create it with PutParameter first.`,
      );
    }
    return record;
  }

  private checkName(name: unknown): string {
    if (typeof name !== 'string' || name.length === 0) {
      throw new AwsServiceError(
        'ValidationException',
        "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
      );
    }
    if (name.length > MAX_NAME_LENGTH || !NAME_PATTERN.test(name)) {
      throw new AwsServiceError(
        'ValidationException',
        `Invalid parameter name "${name}": use at most ${MAX_NAME_LENGTH} characters from a-z, A-Z, 0-9, _ . - and /`,
      );
    }
    if (name.includes('/') && !name.startsWith('/')) {
      throw new AwsServiceError(
        'ValidationException',
        `Invalid parameter name "${name}": a hierarchical name must start with "/"`,
      );
    }
    if (/^\/?(aws|ssm)/i.test(name)) {
      throw new AwsServiceError(
        'ValidationException',
        `Invalid parameter name "${name}": names beginning with "aws" or "ssm" are reserved`,
      );
    }
    return name;
  }

  private key(name: string, context: RequestContext): string {
    return `${context.accountId}/${context.region}/${name}`;
  }

  private toWire(record: ParameterRecord): Record<string, unknown> {
    return {
      Name: record.name,
      Type: record.type,
      Value: record.value,
      Version: record.version,
      LastModifiedDate: record.lastModified,
      ARN: `arn:aws:ssm:${record.region}:${record.accountId}:parameter${
        record.name.startsWith('/') ? '' : '/'
      }${record.name}`,
      DataType: record.dataType,
    };
  }
}
