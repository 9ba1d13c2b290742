import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockAccuracy, mockWorkload } from '../../mocks/mockData';
import {
  createForecastApiMock,
  pending,
  renderWithEntity,
  responseError,
} from '../../__testUtils__/renderWithEntity';
import { ForecastOverviewCard } from './ForecastOverviewCard';

describe('ForecastOverviewCard', () => {
  it('shows progress while loading', async () => {
    const api = createForecastApiMock({
      getWorkload: jest.fn(() => pending()),
      getAccuracy: jest.fn(() => pending()),
    });
    await renderWithEntity(<ForecastOverviewCard />, { api });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the workload when loaded', async () => {
    const api = createForecastApiMock({
      getWorkload: jest.fn(async () => mockWorkload),
      getAccuracy: jest.fn(async () => mockAccuracy),
    });
    await renderWithEntity(<ForecastOverviewCard />, { api });

    expect(await screen.findByText('CREATE_COMPLETE')).toBeInTheDocument();
    expect(screen.getByText('forecast-weekly-demand')).toBeInTheDocument();
    expect(screen.getByText('cron(0 3 ? * MON *)')).toBeInTheDocument();
    expect(screen.getByText(/Next run/)).toBeInTheDocument();
    expect(screen.getByText(/Average wQL 0.0842/)).toBeInTheDocument();
    expect(screen.getByText(/WAPE 0.1187/)).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /CloudFormation stack/ }),
    ).toHaveAttribute('href', mockWorkload.links[0].url);
    expect(api.getWorkload).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'weekly-demand',
    });
  });

  it('says what to do when nothing has run yet', async () => {
    const api = createForecastApiMock({
      getWorkload: jest.fn(async () => ({
        ...mockWorkload,
        schedule: undefined,
        lastSuccessfulForecast: undefined,
      })),
      getAccuracy: jest.fn(async () => ({ windows: [] })),
    });
    await renderWithEntity(<ForecastOverviewCard />, { api });

    expect(
      await screen.findByText(/No successful forecast yet/),
    ).toBeInTheDocument();
    expect(screen.getByText(/No schedule/)).toBeInTheDocument();
    expect(
      screen.getByText(/No predictor has been trained yet/),
    ).toBeInTheDocument();
  });

  it('shows the backend error and retries', async () => {
    const error = await responseError(
      404,
      'NotFoundError',
      'Stack forecast-x not found',
    );
    const api = createForecastApiMock({
      getWorkload: jest
        .fn()
        .mockRejectedValueOnce(error)
        .mockResolvedValueOnce(mockWorkload),
      getAccuracy: jest.fn(async () => mockAccuracy),
    });
    await renderWithEntity(<ForecastOverviewCard />, { api });

    expect(
      await screen.findByText(/Error: Stack forecast-x not found \(HTTP 404\)/),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('CREATE_COMPLETE')).toBeInTheDocument();
  });

  it('keeps the workload when only accuracy fails', async () => {
    const api = createForecastApiMock({
      getWorkload: jest.fn(async () => mockWorkload),
      getAccuracy: jest.fn(async () => {
        throw new Error('predictor not found');
      }),
    });
    await renderWithEntity(<ForecastOverviewCard />, { api });

    expect(
      await screen.findByText(/Accuracy is unavailable: predictor not found/),
    ).toBeInTheDocument();
    expect(screen.getByText('CREATE_COMPLETE')).toBeInTheDocument();
  });
});
