import { act, screen } from '@testing-library/react';
import { POLL_INTERVAL_MS } from '../../hooks';
import {
  mockAccuracy,
  mockEntityWithoutAnnotation,
  mockExecution,
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

  it('reloads result cards when a run finishes', async () => {
    jest.useFakeTimers();
    const running = mockExecution('workflow', 'live', {
      status: 'RUNNING',
      minutesAgo: 1,
    });
    const api = createForecastApiMock({
      getWorkload: jest.fn(async () => mockWorkload),
      getAccuracy: jest.fn(async () => mockAccuracy),
      getPipelines: jest.fn(async () => ({ pipelines: mockPipelines() })),
      getExecutions: jest
        .fn()
        .mockResolvedValueOnce({ executions: [running] })
        .mockResolvedValue({
          executions: [{ ...running, status: 'SUCCEEDED' }],
        }),
      getExports: jest.fn(async () => mockExports),
      getForecast: jest.fn(async () => mockForecastSeries()),
    });
    await renderWithEntity(<EntityForecastContent />, { api });
    expect(await screen.findByText('live')).toBeInTheDocument();
    expect(api.getExports).toHaveBeenCalledTimes(1);

    await act(() => jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS));

    expect(api.getExports).toHaveBeenCalledTimes(2);
    expect(api.getForecast).toHaveBeenCalledTimes(2);
    expect(api.getAccuracy).toHaveBeenCalledTimes(4);
    jest.useRealTimers();
  }, 30_000);
});
