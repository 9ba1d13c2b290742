import {
  CreateAutoPredictorCommand,
  CreateDatasetCommand,
  CreateDatasetGroupCommand,
  CreateDatasetImportJobCommand,
  CreateForecastCommand,
  CreateForecastExportJobCommand,
  DescribeAutoPredictorCommand,
  DescribeDatasetImportJobCommand,
  DescribeForecastCommand,
  DescribeForecastExportJobCommand,
  ForecastClient,
  GetAccuracyMetricsCommand,
  ListPredictorsCommand,
  ResourceAlreadyExistsException,
} from '@aws-sdk/client-forecast';
import {
  CreateBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { generateDemoDataset } from '@forecast-pipelines/plugin-forecast-node';
import {
  sandboxClients,
  startTestSandbox,
  type TestSandbox,
} from '../__testUtils__/testSandbox';

const ROLE = 'arn:aws:iam::000000000000:role/forecast';

/** Polls a Describe call until its Status is ACTIVE or CREATE_FAILED. */
async function settle<T extends { Status?: string }>(
  describe: () => Promise<T>,
): Promise<T> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const result = await describe();
    if (result.Status === 'ACTIVE' || result.Status === 'CREATE_FAILED') {
      return result;
    }
    await new Promise(resolve => setTimeout(resolve, 25));
  }
  throw new Error('The resource did not finish within 10 seconds');
}

describe('Forecast through the AWS SDK', () => {
  let test: TestSandbox;
  let forecast: ForecastClient;

  beforeEach(async () => {
    test = await startTestSandbox();
    forecast = new ForecastClient({
      endpoint: test.sandbox.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
      maxAttempts: 1,
    });
  });

  afterEach(async () => {
    forecast.destroy();
    await test.stop();
  });

  it('runs import, training, forecast and export', async () => {
    const { s3 } = sandboxClients(test.sandbox.endpoint);
    await s3.send(new CreateBucketCommand({ Bucket: 'demand-data' }));
    await s3.send(
      new PutObjectCommand({
        Bucket: 'demand-data',
        Key: 'input/target/demo.csv',
        Body: generateDemoDataset({ items: 2, days: 21 }),
      }),
    );

    const { DatasetArn } = await forecast.send(
      new CreateDatasetCommand({
        DatasetName: 'demand_target',
        Domain: 'CUSTOM',
        DatasetType: 'TARGET_TIME_SERIES',
        DataFrequency: 'H',
        Schema: {
          Attributes: [
            { AttributeName: 'timestamp', AttributeType: 'timestamp' },
            { AttributeName: 'target_value', AttributeType: 'float' },
            { AttributeName: 'item_id', AttributeType: 'string' },
          ],
        },
      }),
    );
    const { DatasetGroupArn } = await forecast.send(
      new CreateDatasetGroupCommand({
        DatasetGroupName: 'demand',
        Domain: 'CUSTOM',
        DatasetArns: [DatasetArn!],
      }),
    );
    await expect(
      forecast.send(
        new CreateDatasetGroupCommand({
          DatasetGroupName: 'demand',
          Domain: 'CUSTOM',
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceAlreadyExistsException);

    const { DatasetImportJobArn } = await forecast.send(
      new CreateDatasetImportJobCommand({
        DatasetImportJobName: 'import_1',
        DatasetArn,
        DataSource: {
          S3Config: { Path: 's3://demand-data/input/target/', RoleArn: ROLE },
        },
        TimestampFormat: 'yyyy-MM-dd HH:mm:ss',
      }),
    );
    const job = await settle(() =>
      forecast.send(
        new DescribeDatasetImportJobCommand({ DatasetImportJobArn }),
      ),
    );
    expect(job.Status).toBe('ACTIVE');
    expect(job.CreationTime).toBeInstanceOf(Date);
    expect(job.FieldStatistics?.target_value?.Count).toBe(2 * 21 * 24);

    const { PredictorArn } = await forecast.send(
      new CreateAutoPredictorCommand({
        PredictorName: 'demand_predictor',
        ForecastHorizon: 24,
        ForecastFrequency: 'H',
        DataConfig: { DatasetGroupArn },
      }),
    );
    const predictor = await settle(() =>
      forecast.send(new DescribeAutoPredictorCommand({ PredictorArn })),
    );
    expect(predictor.Status).toBe('ACTIVE');
    const listed = await forecast.send(
      new ListPredictorsCommand({
        Filters: [
          { Key: 'DatasetGroupArn', Value: DatasetGroupArn, Condition: 'IS' },
        ],
      }),
    );
    expect(listed.Predictors?.map(p => p.PredictorArn)).toEqual([PredictorArn]);

    const metrics = await forecast.send(
      new GetAccuracyMetricsCommand({ PredictorArn }),
    );
    const [summary, computed] =
      metrics.PredictorEvaluationResults![0].TestWindows!;
    expect(summary.EvaluationType).toBe('SUMMARY');
    expect(computed.TestWindowStart).toEqual(new Date(Date.UTC(2024, 0, 21)));
    expect(summary.Metrics?.WeightedQuantileLosses).toHaveLength(3);

    const { ForecastArn } = await forecast.send(
      new CreateForecastCommand({
        ForecastName: 'demand_forecast',
        PredictorArn,
      }),
    );
    await settle(() =>
      forecast.send(new DescribeForecastCommand({ ForecastArn })),
    );
    const { ForecastExportJobArn } = await forecast.send(
      new CreateForecastExportJobCommand({
        ForecastExportJobName: 'export_1',
        ForecastArn,
        Destination: {
          S3Config: { Path: 's3://demand-data/exports/', RoleArn: ROLE },
        },
      }),
    );
    const exported = await settle(() =>
      forecast.send(
        new DescribeForecastExportJobCommand({ ForecastExportJobArn }),
      ),
    );
    expect(exported.Status).toBe('ACTIVE');

    const { Contents } = await s3.send(
      new ListObjectsV2Command({ Bucket: 'demand-data', Prefix: 'exports/' }),
    );
    expect(Contents?.map(o => o.Key)).toEqual([
      expect.stringMatching(/^exports\/export_1_.*_part0\.csv$/),
    ]);
  });
});
