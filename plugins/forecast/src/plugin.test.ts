import {
  EntityForecastContent,
  EntityForecastOverviewCard,
  forecastPlugin,
} from './plugin';
import { isForecastAvailable } from './components/isForecastAvailable';
import { forecastApiRef } from './api';
import { mockEntity, mockEntityWithoutAnnotation } from './mocks/mockData';

describe('forecastPlugin', () => {
  it('provides the API and both extensions', () => {
    expect(forecastPlugin.getId()).toBe('forecast');
    const apis = [...forecastPlugin.getApis()];
    expect(apis.map(factory => factory.api.id)).toEqual([forecastApiRef.id]);
    expect(EntityForecastContent).toBeDefined();
    expect(EntityForecastOverviewCard).toBeDefined();
  });
});

describe('isForecastAvailable', () => {
  it('accepts workloads only', () => {
    expect(isForecastAvailable(mockEntity)).toBe(true);
    expect(isForecastAvailable(mockEntityWithoutAnnotation)).toBe(false);
    const dependency = {
      ...mockEntity,
      metadata: {
        ...mockEntity.metadata,
        annotations: {
          ...mockEntity.metadata.annotations,
          'amazon-forecast/stack-role': 'dependency',
        },
      },
    };
    expect(isForecastAvailable(dependency)).toBe(false);
  });
});
