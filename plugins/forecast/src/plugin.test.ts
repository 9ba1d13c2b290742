import { forecastPlugin } from './plugin';

describe('forecast', () => {
  it('should export plugin', () => {
    expect(forecastPlugin).toBeDefined();
  });
});
