import { toSdkIntegrationOutput } from './sdkIntegration';

describe('toSdkIntegrationOutput', () => {
  it('turns timestamp members into ISO strings at any depth', () => {
    expect(
      toSdkIntegrationOutput({
        Predictors: [
          {
            PredictorArn: 'arn',
            CreationTime: 1704164645.678,
            Status: 'ACTIVE',
          },
        ],
        TestWindows: [{ TestWindowStart: 1704067200, ItemCount: 3 }],
      }),
    ).toEqual({
      Predictors: [
        {
          PredictorArn: 'arn',
          CreationTime: '2024-01-02T03:04:05.678Z',
          Status: 'ACTIVE',
        },
      ],
      TestWindows: [
        { TestWindowStart: '2024-01-01T00:00:00.000Z', ItemCount: 3 },
      ],
    });
  });
});
