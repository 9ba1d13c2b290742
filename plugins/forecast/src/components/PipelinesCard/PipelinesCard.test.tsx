import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { POLL_INTERVAL_MS } from '../../hooks';
import userEvent from '@testing-library/user-event';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  mockExecution,
  mockExecutionDetail,
  mockPipelines,
} from '../../mocks/mockData';
import {
  createForecastApiMock,
  pending,
  renderWithEntity,
  responseError,
} from '../../__testUtils__/renderWithEntity';
import { PipelinesCard } from './PipelinesCard';
import { RERUN_DENIED_MESSAGE } from './RerunButton';

function rowOf(title: string): HTMLElement {
  return screen.getByText(title).closest('tr')!;
}

describe('PipelinesCard', () => {
  it('shows progress while loading', async () => {
    const api = createForecastApiMock({
      getPipelines: jest.fn(() => pending()),
    });
    await renderWithEntity(<PipelinesCard />, { api });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('explains an empty pipeline list', async () => {
    const api = createForecastApiMock({
      getPipelines: jest.fn(async () => ({ pipelines: [] })),
    });
    await renderWithEntity(<PipelinesCard />, { api });
    expect(await screen.findByText('No pipelines found')).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    const api = createForecastApiMock({
      getPipelines: jest.fn(async () => {
        throw await responseError(500, 'Error', 'Step Functions timed out');
      }),
    });
    await renderWithEntity(<PipelinesCard />, { api });
    expect(
      await screen.findByText(/Step Functions timed out \(HTTP 500\)/),
    ).toBeInTheDocument();
  });

  it('lists pipelines with their last run', async () => {
    const api = createForecastApiMock({
      getPipelines: jest.fn(async () => ({ pipelines: mockPipelines() })),
    });
    await renderWithEntity(<PipelinesCard />, { api });

    expect(await screen.findByText('End-to-end workflow')).toBeInTheDocument();
    expect(
      within(rowOf('End-to-end workflow')).getByText('Succeeded'),
    ).toBeInTheDocument();
    expect(
      within(rowOf('Create dataset group')).getByText('Never run'),
    ).toBeInTheDocument();
    expect(screen.getAllByRole('button', { name: /^Rerun / })).toHaveLength(6);
  });

  it('disables Rerun with a reason for users without permission', async () => {
    const api = createForecastApiMock({
      getPipelines: jest.fn(async () => ({ pipelines: mockPipelines() })),
    });
    await renderWithEntity(<PipelinesCard />, {
      api,
      permission: AuthorizeResult.DENY,
    });

    const button = await screen.findByRole('button', {
      name: 'Rerun End-to-end workflow',
    });
    await waitFor(() => expect(button).toBeDisabled());

    fireEvent.mouseOver(button.parentElement!);
    expect(await screen.findByText(RERUN_DENIED_MESSAGE)).toBeInTheDocument();
    expect(api.rerunPipeline).not.toHaveBeenCalled();
  });

  it('reruns a pipeline after confirmation', async () => {
    const pipelines = mockPipelines();
    const started = mockExecution('workflow', 'rerun-1', {
      status: 'RUNNING',
      minutesAgo: 0,
      startedBy: 'rerun by user:default/guest',
    });
    const onExecutionStarted = jest.fn();
    const api = createForecastApiMock({
      getPipelines: jest.fn(async () => ({ pipelines })),
      getExecution: jest.fn(async () => ({
        ...mockExecutionDetail,
        input: '{"ImportMode":"FULL"}',
      })),
      rerunPipeline: jest.fn(async () => ({ execution: started })),
    });
    await renderWithEntity(
      <PipelinesCard onExecutionStarted={onExecutionStarted} />,
      { api, permission: AuthorizeResult.ALLOW },
    );

    const button = await screen.findByRole('button', {
      name: 'Rerun End-to-end workflow',
    });
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);

    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText('forecast-weekly-demand-workflow'),
    ).toBeInTheDocument();
    const input = within(dialog).getByLabelText('Execution input');
    await waitFor(() =>
      expect(input).toHaveValue('{\n  "ImportMode": "FULL"\n}'),
    );
    expect(api.getExecution).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'weekly-demand' }),
      pipelines[0].lastExecution!.executionArn,
    );

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Rerun' }),
    );

    expect(
      await screen.findByText(/Started End-to-end workflow/),
    ).toBeInTheDocument();
    expect(screen.getByText('rerun-1')).toBeInTheDocument();
    expect(api.rerunPipeline).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'weekly-demand' }),
      'workflow',
      { input: undefined, force: undefined },
    );
    expect(onExecutionStarted).toHaveBeenCalledWith(started);

    await userEvent.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() =>
      expect(
        within(rowOf('End-to-end workflow')).getByText('Running'),
      ).toBeInTheDocument(),
    );
  });

  it('polls until a started run is listed finished', async () => {
    jest.useFakeTimers();
    const started = mockExecution('workflow', 'rerun-2', {
      status: 'RUNNING',
      minutesAgo: 0,
    });
    const pipelines = mockPipelines();
    const finished = {
      pipelines: [
        {
          ...pipelines[0],
          lastExecution: {
            ...started,
            status: 'SUCCEEDED' as const,
            stopDate: new Date().toISOString(),
          },
        },
        ...pipelines.slice(1),
      ],
    };
    const getPipelines = jest
      .fn()
      .mockResolvedValueOnce({ pipelines })
      .mockResolvedValue(finished);
    const api = createForecastApiMock({ getPipelines });

    await renderWithEntity(<PipelinesCard startedExecutions={[started]} />, {
      api,
    });
    await screen.findByText('End-to-end workflow');
    expect(
      within(rowOf('End-to-end workflow')).getByText('Running'),
    ).toBeInTheDocument();

    await act(() => jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS));
    expect(getPipelines).toHaveBeenCalledTimes(2);
    expect(
      within(rowOf('End-to-end workflow')).getByText('Succeeded'),
    ).toBeInTheDocument();

    await act(() => jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS * 3));
    expect(getPipelines).toHaveBeenCalledTimes(2);
    jest.useRealTimers();
  });
});
