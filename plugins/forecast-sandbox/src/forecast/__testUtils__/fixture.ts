import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DiskObjectStore } from '../../core/DiskObjectStore';
import type { RequestContext, SandboxLogger } from '../../core/types';
import {
  createForecastService,
  type ForecastService,
} from '../ForecastService';

/** A logger that drops everything, for tests and benchmarks. */
export const silentLogger: SandboxLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};

export const context: RequestContext = {
  accountId: '000000000000',
  region: 'us-east-1',
  requestId: 'test',
};

/** A Forecast service on a fresh temporary data folder, with a bucket. */
export interface ForecastFixture {
  dataDir: string;
  objects: DiskObjectStore;
  service: ForecastService;
  call(operation: string, input: object): Promise<Record<string, any>>;
  put(key: string, text: string): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Creates a {@link ForecastFixture} with bucket `data`. */
export async function createFixture(workers = 1): Promise<ForecastFixture> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'forecast-'));
  const objects = new DiskObjectStore(path.join(dataDir, 's3'));
  await objects.createBucket('data');
  const start = () =>
    createForecastService({ dataDir, objects, logger: silentLogger, workers });
  const fixture: ForecastFixture = {
    dataDir,
    objects,
    service: start(),
    call: (operation, input) =>
      fixture.service.handle(
        operation,
        input as Record<string, unknown>,
        context,
      ),
    put: async (key, text) => {
      await objects.putObject('data', key, Buffer.from(text));
    },
    restart: async () => {
      await fixture.service.close?.();
      fixture.service = start();
      await fixture.service.recover?.();
    },
    close: async () => {
      await fixture.service.close?.();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await fixture.service.recover?.();
  return fixture;
}

export const ROLE = 'arn:aws:iam::000000000000:role/forecast';

export const TARGET_SCHEMA = {
  Attributes: [
    { AttributeName: 'timestamp', AttributeType: 'timestamp' },
    { AttributeName: 'target_value', AttributeType: 'float' },
    { AttributeName: 'item_id', AttributeType: 'string' },
  ],
};

/** Creates a CUSTOM dataset group with an hourly target dataset. */
export async function createGroup(
  fixture: ForecastFixture,
  name = 'demand',
  schema: object = TARGET_SCHEMA,
) {
  const { DatasetArn } = await fixture.call('CreateDataset', {
    DatasetName: `${name}_target`,
    Domain: 'CUSTOM',
    DatasetType: 'TARGET_TIME_SERIES',
    DataFrequency: 'H',
    Schema: schema,
  });
  const { DatasetGroupArn } = await fixture.call('CreateDatasetGroup', {
    DatasetGroupName: name,
    Domain: 'CUSTOM',
    DatasetArns: [DatasetArn],
  });
  return { DatasetArn, DatasetGroupArn } as {
    DatasetArn: string;
    DatasetGroupArn: string;
  };
}

/** Runs an import job to its end and returns its description. */
export async function importData(
  fixture: ForecastFixture,
  datasetArn: string,
  prefix: string,
  extra: object = {},
  name = 'import_1',
) {
  const { DatasetImportJobArn } = await fixture.call('CreateDatasetImportJob', {
    DatasetImportJobName: name,
    DatasetArn: datasetArn,
    DataSource: { S3Config: { Path: `s3://data/${prefix}`, RoleArn: ROLE } },
    ...extra,
  });
  await fixture.service.whenIdle();
  return fixture.call('DescribeDatasetImportJob', { DatasetImportJobArn });
}
