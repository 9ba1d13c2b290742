import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ExecutionSummary } from '@forecast-pipelines/plugin-forecast-common';
import {
  mockExecution,
  mockExecutionDetail,
  mockExecutions,
} from '../../mocks/mockData';
import {
  createForecastApiMock,
  pending,
  renderWithEntity,
  responseError,
} from '../../__testUtils__/renderWithEntity';
import { POLL_INTERVAL_MS } from '../../hooks';
import { ExecutionsTable } from './ExecutionsTable';

describe('ExecutionsTable', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('shows progress while loading', async () => {
    const api = createForecastApiMock({
      getExecutions: jest.fn(() => pending()),
    });
    await renderWithEntity(<ExecutionsTable />, { api });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('says how to start the first run', async () => {
    const api = createForecastApiMock({
      getExecutions: jest.fn(async () => ({ executions: [] })),
    });
    await renderWithEntity(<ExecutionsTable />, { api });
    expect(await screen.findByText('No executions yet')).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    const api = createForecastApiMock({
      getExecutions: jest.fn(async () => {
        throw await responseError(403, 'NotAllowedError', 'Access denied');
      }),
    });
    await renderWithEntity(<ExecutionsTable />, { api });
    expect(
      await screen.findByText(/Access denied \(HTTP 403\)/),
    ).toBeInTheDocument();
  });

  it('lists executions with status, duration and origin', async () => {
    const api = createForecastApiMock({
      getExecutions: jest.fn(async () => ({ executions: mockExecutions() })),
    });
    await renderWithEntity(<ExecutionsTable />, { api });

    const row = (await screen.findByText('nightly-2')).closest('tr')!;
    expect(within(row).getByText('Failed')).toBeInTheDocument();
    expect(within(row).getByText('4m')).toBeInTheDocument();
    expect(within(row).getByText('schedule')).toBeInTheDocument();
    expect(screen.getByText('rerun by user:default/jane')).toBeInTheDocument();
    expect(api.getExecutions).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'weekly-demand' }),
      {
        pipeline: undefined,
        status: undefined,
        pageToken: undefined,
        pageSize: 10,
      },
    );
  });

  it('pages with the backend token', async () => {
    const first = mockExecutions().slice(0, 2);
    const second = mockExecutions().slice(2);
    const api = createForecastApiMock({
      getExecutions: jest.fn(async (_entity, query) =>
        query?.pageToken === 'token-2'
          ? { executions: second }
          : { executions: first, nextPageToken: 'token-2' },
      ),
    });
    await renderWithEntity(<ExecutionsTable pageSize={2} />, { api });

    expect(await screen.findByText('nightly-3')).toBeInTheDocument();
    expect(screen.getByText('Page 1')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: /next page/i }));
    expect(await screen.findByText('manual-1')).toBeInTheDocument();
    expect(screen.queryByText('nightly-3')).not.toBeInTheDocument();
    expect(screen.getByText('Page 2 (last)')).toBeInTheDocument();
    expect(api.getExecutions).toHaveBeenLastCalledWith(
      expect.anything(),
      expect.objectContaining({ pageToken: 'token-2', pageSize: 2 }),
    );
    expect(screen.getByRole('button', { name: /next page/i })).toBeDisabled();

    await userEvent.click(
      screen.getByRole('button', { name: /previous page/i }),
    );
    expect(await screen.findByText('nightly-3')).toBeInTheDocument();
  });

  it('filters by pipeline and status on the backend', async () => {
    const api = createForecastApiMock({
      getExecutions: jest.fn(async (_entity, query) => ({
        executions: mockExecutions().filter(
          e =>
            (!query?.status || e.status === query.status) &&
            (!query?.pipeline || e.pipelineKey === query.pipeline),
        ),
      })),
    });
    await renderWithEntity(<ExecutionsTable />, { api });
    await screen.findByText('nightly-3');

    await userEvent.click(screen.getByText('All statuses'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'FAILED' }),
    );

    await waitFor(() =>
      expect(screen.queryByText('nightly-3')).not.toBeInTheDocument(),
    );
    expect(screen.getByText('nightly-2')).toBeInTheDocument();
    expect(api.getExecutions).toHaveBeenLastCalledWith(
      expect.anything(),
      expect.objectContaining({ status: 'FAILED', pipeline: undefined }),
    );

    await userEvent.click(screen.getByText('All pipelines'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Import data' }),
    );
    expect(
      await screen.findByText('No executions match these filters'),
    ).toBeInTheDocument();
    expect(api.getExecutions).toHaveBeenLastCalledWith(
      expect.anything(),
      expect.objectContaining({ status: 'FAILED', pipeline: 'import-data' }),
    );
  });

  it('polls while a run is RUNNING and stops after', async () => {
    jest.useFakeTimers();
    const running = mockExecution('workflow', 'live', {
      status: 'RUNNING',
      minutesAgo: 1,
    });
    const finished: ExecutionSummary = {
      ...running,
      status: 'SUCCEEDED',
      stopDate: new Date().toISOString(),
    };
    const getExecutions = jest
      .fn()
      .mockResolvedValueOnce({ executions: [running] })
      .mockResolvedValueOnce({ executions: [running] })
      .mockResolvedValue({ executions: [finished] });
    const api = createForecastApiMock({ getExecutions });
    const onRunsFinished = jest.fn();

    await renderWithEntity(
      <ExecutionsTable onRunsFinished={onRunsFinished} />,
      {
        api,
      },
    );
    expect(await screen.findByText('Running')).toBeInTheDocument();
    expect(
      screen.getByText('Refreshing while a run is in progress'),
    ).toBeInTheDocument();
    expect(getExecutions).toHaveBeenCalledTimes(1);

    await act(() => jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS));
    expect(getExecutions).toHaveBeenCalledTimes(2);
    expect(onRunsFinished).not.toHaveBeenCalled();

    await act(() => jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS));
    expect(getExecutions).toHaveBeenCalledTimes(3);
    expect(onRunsFinished).toHaveBeenCalledTimes(1);
    expect(screen.getByText('Succeeded')).toBeInTheDocument();
    expect(
      screen.queryByText('Refreshing while a run is in progress'),
    ).not.toBeInTheDocument();

    await act(() => jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS * 5));
    expect(getExecutions).toHaveBeenCalledTimes(3);
  });

  it('does not poll when nothing runs', async () => {
    jest.useFakeTimers();
    const getExecutions = jest.fn(async () => ({
      executions: mockExecutions(),
    }));
    const api = createForecastApiMock({ getExecutions });
    await renderWithEntity(<ExecutionsTable />, { api });
    await screen.findByText('nightly-3');

    await act(() => jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS * 3));
    expect(getExecutions).toHaveBeenCalledTimes(1);
  });

  it('lists a run started on the page at once', async () => {
    const started = mockExecution('workflow', 'rerun-7', {
      status: 'RUNNING',
      minutesAgo: 0,
      startedBy: 'rerun by user:default/guest',
    });
    const api = createForecastApiMock({
      getExecutions: jest.fn(async () => ({ executions: mockExecutions() })),
    });
    await renderWithEntity(<ExecutionsTable startedExecutions={[started]} />, {
      api,
    });

    const row = (await screen.findByText('rerun-7')).closest('tr')!;
    expect(within(row).getByText('Running')).toBeInTheDocument();
    const rows = screen.getAllByRole('row');
    expect(within(rows[1]).getByText('rerun-7')).toBeInTheDocument();
  });

  it('opens the detail of a clicked row', async () => {
    const api = createForecastApiMock({
      getExecutions: jest.fn(async () => ({ executions: mockExecutions() })),
      getExecution: jest.fn(async () => mockExecutionDetail),
    });
    await renderWithEntity(<ExecutionsTable />, { api });

    await userEvent.click(await screen.findByText('nightly-2'));

    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText(
        /Failed at Import data: Forecast.InvalidInputException/,
      ),
    ).toBeInTheDocument();
    expect(api.getExecution).toHaveBeenCalledWith(
      expect.anything(),
      mockExecutions()[2].executionArn,
    );
  });
});
