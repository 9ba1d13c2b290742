import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockForecastSeries } from '../../mocks/mockData';
import {
  createForecastApiMock,
  pending,
  renderWithEntity,
  responseError,
} from '../../__testUtils__/renderWithEntity';
import { buildChartData, pickSeries } from './chartData';
import { ForecastChartCard } from './ForecastChartCard';

describe('pickSeries', () => {
  it('uses the widest quantiles and p50', () => {
    expect(pickSeries(['p90', 'p10', 'p50', 'mean'])).toEqual({
      lower: 'p10',
      upper: 'p90',
      median: 'p50',
    });
  });

  it('falls back to mean without p50', () => {
    expect(pickSeries(['p05', 'mean', 'p95'])).toEqual({
      lower: 'p05',
      upper: 'p95',
      median: 'mean',
    });
  });

  it('draws no band from one quantile', () => {
    expect(pickSeries(['p50'])).toEqual({ median: 'p50' });
  });
});

describe('buildChartData', () => {
  it('puts actuals before the forecast band', () => {
    const data = buildChartData(
      {
        ...mockForecastSeries(),
        actuals: [{ date: '2026-01-01', value: 5 }],
        forecast: [{ date: '2026-01-02', p10: '3', p50: 6, p90: 9 }],
      },
      { lower: 'p10', upper: 'p90', median: 'p50' },
    );
    expect(data).toEqual([
      { date: '2026-01-01', actual: 5 },
      { date: '2026-01-02', band: [3, 9], median: 6 },
    ]);
  });
});

describe('ForecastChartCard', () => {
  // jsdom lays nothing out; give the chart container, and only it, a size
  // so recharts draws the series. A sized legend would take the whole chart.
  beforeEach(() => {
    jest
      .spyOn(HTMLElement.prototype, 'getBoundingClientRect')
      .mockImplementation(function size(this: HTMLElement) {
        const sized = this.classList.contains('recharts-responsive-container');
        return {
          width: sized ? 800 : 0,
          height: sized ? 320 : 0,
        } as DOMRect;
      });
  });

  afterEach(() => jest.restoreAllMocks());

  it('shows progress while loading', async () => {
    const api = createForecastApiMock({
      getForecast: jest.fn(() => pending()),
    });
    await renderWithEntity(<ForecastChartCard />, { api });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('says how to get a forecast when none exists', async () => {
    const api = createForecastApiMock({
      getForecast: jest.fn(async () => ({
        item: '',
        dimensions: {},
        items: [],
        forecastTypes: [],
        forecast: [],
        actuals: [],
      })),
    });
    await renderWithEntity(<ForecastChartCard />, { api });
    expect(
      await screen.findByText('No forecast to chart yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Rerun the end-to-end workflow/),
    ).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    const api = createForecastApiMock({
      getForecast: jest.fn(async () => {
        throw await responseError(
          404,
          'NotFoundError',
          'Item item_9 not found',
        );
      }),
    });
    await renderWithEntity(<ForecastChartCard />, { api });
    expect(
      await screen.findByText(/Error: Item item_9 not found/),
    ).toBeInTheDocument();
  });

  it('charts the band, median and actuals', async () => {
    const api = createForecastApiMock({
      getForecast: jest.fn(async query =>
        mockForecastSeries((query as any)?.item),
      ),
    });
    const { container } = await renderWithEntity(<ForecastChartCard />, {
      api,
    });

    expect(
      await screen.findByText(
        /28 actual values, then 14 forecast points, band p10 to p90, median p50/,
      ),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(container.querySelector('.recharts-area-area')).not.toBeNull(),
    );
    expect(container.querySelectorAll('.recharts-line-curve')).toHaveLength(2);
    expect(screen.getByText('p10 to p90')).toBeInTheDocument();
  });

  it('reloads for another item and dimension value', async () => {
    const getForecast = jest.fn(async (_entity, query) => ({
      ...mockForecastSeries(query?.item),
      dimensions: query?.dimensions ?? { location: 'berlin' },
    }));
    const api = createForecastApiMock({ getForecast });
    await renderWithEntity(<ForecastChartCard />, { api });
    await screen.findByText(/28 actual values/);

    await userEvent.click(screen.getByText('item_001'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'item_002' }),
    );
    await waitFor(() =>
      expect(getForecast).toHaveBeenLastCalledWith(expect.anything(), {
        item: 'item_002',
      }),
    );

    fireEvent.change(await screen.findByLabelText('location'), {
      target: { value: 'paris' },
    });
    await userEvent.click(screen.getByRole('button', { name: 'Show' }));
    await waitFor(() =>
      expect(getForecast).toHaveBeenLastCalledWith(expect.anything(), {
        item: 'item_002',
        dimensions: { location: 'paris' },
      }),
    );
  });
});
