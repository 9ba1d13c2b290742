import { screen, within } from '@testing-library/react';
import { mockAccuracy } from '../../mocks/mockData';
import {
  createForecastApiMock,
  pending,
  renderWithEntity,
  responseError,
} from '../../__testUtils__/renderWithEntity';
import { AccuracyCard } from './AccuracyCard';

describe('AccuracyCard', () => {
  it('shows progress while loading', async () => {
    const api = createForecastApiMock({
      getAccuracy: jest.fn(() => pending()),
    });
    await renderWithEntity(<AccuracyCard />, { api });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('says when no predictor exists yet', async () => {
    const api = createForecastApiMock({
      getAccuracy: jest.fn(async () => ({ windows: [] })),
    });
    await renderWithEntity(<AccuracyCard />, { api });
    expect(
      await screen.findByText('No accuracy metrics yet'),
    ).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    const api = createForecastApiMock({
      getAccuracy: jest.fn(async () => {
        throw await responseError(502, 'Error', 'Forecast throttled');
      }),
    });
    await renderWithEntity(<AccuracyCard />, { api });
    expect(
      await screen.findByText(/Error: Forecast throttled/),
    ).toBeInTheDocument();
  });

  it('shows summary metrics and each window', async () => {
    const api = createForecastApiMock({
      getAccuracy: jest.fn(async () => mockAccuracy),
    });
    await renderWithEntity(<AccuracyCard />, { api });

    expect(
      await screen.findByText('weekly_demand_predictor_20261204'),
    ).toBeInTheDocument();
    const summary = screen
      .getByText('Summary of all backtest windows')
      .closest('div')!;
    for (const [label, value] of [
      ['Average wQL', '0.0842'],
      ['wQL p10', '0.0511'],
      ['wQL p50', '0.1102'],
      ['wQL p90', '0.0913'],
      ['WAPE', '0.1187'],
      ['RMSE', '12.41'],
      ['MASE', '0.812'],
      ['MAPE', '0.1342'],
    ]) {
      const field = within(summary).getByText(label, { selector: 'h3' });
      expect(field.parentElement).toHaveTextContent(value);
    }

    expect(screen.getByText('Per backtest window')).toBeInTheDocument();
    const rows = screen.getAllByRole('row');
    // Header row plus one computed window.
    expect(rows).toHaveLength(2);
    expect(within(rows[1]).getByText('3')).toBeInTheDocument();
    expect(within(rows[1]).getByText('0.812')).toBeInTheDocument();
  });

  it('lists quantile losses in ascending order', async () => {
    const [summary] = mockAccuracy.windows;
    const reversed = {
      ...mockAccuracy,
      windows: [
        {
          ...summary,
          metrics: {
            ...summary.metrics,
            weightedQuantileLosses: [
              ...summary.metrics.weightedQuantileLosses,
            ].reverse(),
          },
        },
      ],
    };
    const api = createForecastApiMock({
      getAccuracy: jest.fn(async () => reversed),
    });
    await renderWithEntity(<AccuracyCard />, { api });

    await screen.findByText('Summary of all backtest windows');
    const labels = screen
      .getAllByText(/^wQL p\d+$/, { selector: 'h3' })
      .map(label => label.textContent);
    expect(labels).toEqual(['wQL p10', 'wQL p50', 'wQL p90']);
  });
});
