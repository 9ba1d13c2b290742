import { screen } from '@testing-library/react';
import {
  mockAccuracy,
  mockEntityWithoutAnnotation,
  mockExecutions,
  mockExports,
  mockForecastSeries,
  mockPipelines,
  mockWorkload,
} from '../../mocks/mockData';
import {
  createForecastApiMock,
  renderWithEntity,
} from '../../__testUtils__/renderWithEntity';
import { EntityForecastContent } from './EntityForecastContent';

describe('EntityForecastContent', () => {
  it('explains the missing annotation', async () => {
    const api = createForecastApiMock();
    await renderWithEntity(<EntityForecastContent />, {
      api,
      entity: mockEntityWithoutAnnotation,
    });
    expect(
      screen.getAllByText(/amazon-forecast\/stack-arn/).length,
    ).toBeGreaterThan(0);
    expect(api.getWorkload).not.toHaveBeenCalled();
  });

  it('shows every card of a workload', async () => {
    const api = createForecastApiMock({
      getWorkload: jest.fn(async () => mockWorkload),
      getAccuracy: jest.fn(async () => mockAccuracy),
      getPipelines: jest.fn(async () => ({ pipelines: mockPipelines() })),
      getExecutions: jest.fn(async () => ({ executions: mockExecutions() })),
      getExports: jest.fn(async () => mockExports),
      getForecast: jest.fn(async () => mockForecastSeries()),
    });
    await renderWithEntity(<EntityForecastContent />, { api });

    for (const title of [
      'Forecast pipeline',
      'Pipelines',
      'Executions',
      'Forecast',
      'Accuracy',
      'Forecast exports',
    ]) {
      expect(
        await screen.findByText(title, { selector: '.MuiCardHeader-title' }),
      ).toBeInTheDocument();
    }
    expect(await screen.findByText('nightly-2')).toBeInTheDocument();
    expect(await screen.findByText('CREATE_COMPLETE')).toBeInTheDocument();
  }, 30_000);
});
