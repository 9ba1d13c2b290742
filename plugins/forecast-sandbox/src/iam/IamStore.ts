import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { AwsServiceError } from '../core/errors';
import { JsonFileStore } from '../core/JsonFileStore';

/** An IAM role or managed policy as the sandbox records it. */
export interface IamRecord {
  kind: 'role' | 'policy';
  name: string;
  arn: string;
  id: string;
  path: string;
  document: unknown;
  createdAt: string;
}

/**
 * IAM roles and managed policies created by stacks, kept in
 * `<dataDir>/iam/entities.json` so that names stay unique per account as in
 * IAM. The sandbox records the policies but enforces none of them.
 */
export class IamStore {
  private readonly entities: JsonFileStore<IamRecord>;

  constructor(dataDir: string) {
    this.entities = new JsonFileStore(
      path.join(dataDir, 'iam', 'entities.json'),
    );
  }

  create(
    kind: IamRecord['kind'],
    name: string,
    iamPath: string,
    document: unknown,
    accountId: string,
  ): IamRecord {
    const key = `${accountId}/${kind}/${name}`;
    if (this.entities.has(key)) {
      throw new AwsServiceError(
        'EntityAlreadyExists',
        `${
          kind === 'role' ? 'Role' : 'A policy'
        } with name ${name} already exists in account ${accountId}. Choose another name.`,
        409,
      );
    }
    const record: IamRecord = {
      kind,
      name,
      arn: `arn:aws:iam::${accountId}:${kind}${iamPath}${name}`,
      id: `${kind === 'role' ? 'AROA' : 'ANPA'}${randomBytes(8)
        .toString('hex')
        .toUpperCase()}`,
      path: iamPath,
      document,
      createdAt: new Date().toISOString(),
    };
    this.entities.set(key, record);
    return record;
  }

  replaceDocument(
    kind: IamRecord['kind'],
    name: string,
    accountId: string,
    document: unknown,
  ): void {
    const key = `${accountId}/${kind}/${name}`;
    if (this.entities.has(key)) {
      this.entities.update(key, record => {
        record.document = document;
      });
    }
  }

  delete(kind: IamRecord['kind'], name: string, accountId: string): void {
    this.entities.delete(`${accountId}/${kind}/${name}`);
  }
}
