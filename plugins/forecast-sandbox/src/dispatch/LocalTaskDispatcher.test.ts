import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DiskObjectStore } from '../core/DiskObjectStore';
import type { SandboxLogger } from '../core/types';
import { createForecastService, type ForecastService } from '../forecast';
import { SnsService } from '../sns/SnsService';
import { SsmService } from '../ssm/SsmService';
import type { TaskContext } from '../stepfunctions';
import { isoTimestamps, LocalTaskDispatcher } from './LocalTaskDispatcher';

const logger: SandboxLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => logger,
};

const context: TaskContext = {
  accountId: '000000000000',
  region: 'us-east-1',
  requestId: 'test',
  executionArn: 'arn:aws:states:us-east-1:000000000000:execution:m:e',
  stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:m',
  stateName: 'Task',
};

describe('LocalTaskDispatcher', () => {
  let dataDir: string;
  let dispatcher: LocalTaskDispatcher;
  let sns: SnsService;
  let forecast: ForecastService;

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dispatcher-'));
    const objects = new DiskObjectStore(path.join(dataDir, 's3'));
    await objects.createBucket('data');
    await objects.putObject('data', 'in/a.csv', Buffer.from('a'));
    await objects.putObject('data', 'in/sub/b.csv', Buffer.from('bb'));
    sns = new SnsService(dataDir, logger);
    forecast = createForecastService({ dataDir, objects, logger, workers: 1 });
    dispatcher = new LocalTaskDispatcher({
      ssm: new SsmService(dataDir, logger),
      sns,
      objects,
      forecast,
      logger,
    });
  });

  afterEach(async () => {
    await forecast.close?.();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('calls Forecast with the operation in PascalCase', async () => {
    const created = (await dispatcher.invoke(
      'arn:aws:states:::aws-sdk:forecast:createDatasetGroup',
      { DatasetGroupName: 'demand', Domain: 'CUSTOM' },
      context,
    )) as { DatasetGroupArn: string };
    expect(created.DatasetGroupArn).toBe(
      'arn:aws:forecast:us-east-1:000000000000:dataset-group/demand',
    );

    const described = (await dispatcher.invoke(
      'arn:aws:states:::aws-sdk:forecast:describeDatasetGroup',
      { DatasetGroupArn: created.DatasetGroupArn },
      context,
    )) as { DatasetGroupName: string; CreationTime: unknown };
    expect(described.DatasetGroupName).toBe('demand');
    expect(described.CreationTime).toMatch(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
    );
  });

  it('names errors as Step Functions does', async () => {
    await expect(
      dispatcher.invoke(
        'arn:aws:states:::aws-sdk:forecast:describeDatasetGroup',
        {
          DatasetGroupArn:
            'arn:aws:forecast:us-east-1:000000000000:dataset-group/none',
        },
        context,
      ),
    ).rejects.toMatchObject({
      name: 'Forecast.ResourceNotFoundException',
      message: expect.stringContaining('dataset-group/none'),
    });
    await expect(
      dispatcher.invoke(
        'arn:aws:states:::aws-sdk:ssm:getParameter',
        { Name: '/none' },
        context,
      ),
    ).rejects.toMatchObject({ name: 'Ssm.ParameterNotFoundException' });
    await expect(
      dispatcher.invoke('arn:aws:states:::lambda:invoke', {}, context),
    ).rejects.toMatchObject({
      name: 'States.Runtime',
      message: expect.stringContaining('lambda:invoke'),
    });
  });

  it('runs SSM, S3 and SNS tasks', async () => {
    await dispatcher.invoke(
      'arn:aws:states:::aws-sdk:ssm:putParameter',
      { Name: '/p', Value: 'v', Type: 'String' },
      context,
    );
    const parameter = (await dispatcher.invoke(
      'arn:aws:states:::aws-sdk:ssm:getParameter',
      { Name: '/p' },
      context,
    )) as {
      Parameter: { Value: string; LastModifiedDate: unknown };
    };
    expect(parameter.Parameter.Value).toBe('v');
    expect(parameter.Parameter.LastModifiedDate).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    const listed = (await dispatcher.invoke(
      'arn:aws:states:::aws-sdk:s3:listObjectsV2',
      { Bucket: 'data', Prefix: 'in/', Delimiter: '/' },
      context,
    )) as {
      Contents: { Key: string; Size: number }[];
      CommonPrefixes: { Prefix: string }[];
      KeyCount: number;
    };
    expect(listed.Contents.map(o => [o.Key, o.Size])).toEqual([
      ['in/a.csv', 1],
    ]);
    expect(listed.CommonPrefixes).toEqual([{ Prefix: 'in/sub/' }]);
    expect(listed.KeyCount).toBe(2);

    const topicArn = sns.createTopic('t', context);
    await dispatcher.invoke(
      'arn:aws:states:::sns:publish',
      { TopicArn: topicArn, Message: { run: 'done' } },
      context,
    );
    expect(sns.listMessages(topicArn).map(m => m.message)).toEqual([
      '{"run":"done"}',
    ]);
  });

  it('converts only timestamp fields to ISO strings', () => {
    expect(
      isoTimestamps({
        CreationTime: 0,
        Items: [{ LastModificationTime: 86400 }],
        ForecastHorizon: 14,
      }),
    ).toEqual({
      CreationTime: '1970-01-01T00:00:00.000Z',
      Items: [{ LastModificationTime: '1970-01-02T00:00:00.000Z' }],
      ForecastHorizon: 14,
    });
  });
});
