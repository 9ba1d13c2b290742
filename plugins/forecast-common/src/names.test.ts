import {
  checkForecastName,
  checkStackName,
  deriveWorkloadNames,
} from './names';

describe('name rules', () => {
  it('derives stack and dataset group names', () => {
    expect(deriveWorkloadNames('weekly-demand-eu')).toEqual({
      stackName: 'forecast-weekly-demand-eu',
      datasetGroupName: 'weekly_demand_eu',
    });
  });

  it('accepts valid names', () => {
    expect(checkStackName('name', 'forecast-a1')).toBeUndefined();
    expect(checkForecastName('name', 'demand_2024')).toBeUndefined();
  });

  it('rejects a stack name starting with a digit', () => {
    expect(checkStackName('name', '1abc')?.message).toContain(
      'must start with a letter',
    );
  });

  it('rejects a hyphen in a Forecast name', () => {
    expect(checkForecastName('DatasetGroupName', 'a-b')?.message).toContain(
      'only letters, digits and underscores',
    );
  });

  it('rejects names over the length limit', () => {
    expect(checkStackName('name', 'a'.repeat(129))?.message).toContain(
      '1 to 128',
    );
    expect(checkForecastName('name', 'a'.repeat(64))?.message).toContain(
      '1 to 63',
    );
  });
});
