import { act, screen, within } from '@testing-library/react';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import {
  mockEntity,
  mockExecution,
  mockExecutionDetail,
} from '../../mocks/mockData';
import {
  createForecastApiMock,
  pending,
  renderWithEntity,
  responseError,
} from '../../__testUtils__/renderWithEntity';
import { POLL_INTERVAL_MS } from '../../hooks';
import { ExecutionDetailDialog } from './ExecutionDetailDialog';

const entityRef = getCompoundEntityRef(mockEntity);

function renderDialog(api: ReturnType<typeof createForecastApiMock>) {
  return renderWithEntity(
    <ExecutionDetailDialog
      entityRef={entityRef}
      execution={mockExecutionDetail.execution}
      onClose={jest.fn()}
    />,
    { api },
  );
}

describe('ExecutionDetailDialog', () => {
  afterEach(() => jest.useRealTimers());

  it('shows progress while loading', async () => {
    const api = createForecastApiMock({
      getExecution: jest.fn(() => pending()),
    });
    await renderDialog(api);
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('shows the failing step, steps, input and output', async () => {
    const api = createForecastApiMock({
      getExecution: jest.fn(async () => mockExecutionDetail),
    });
    await renderDialog(api);

    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText(
        'Failed at Import data: Forecast.InvalidInputException',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getAllByText(/timestamp "2024-13-01" does not match/),
    ).toHaveLength(2);
    expect(within(dialog).getByText('Read settings')).toBeInTheDocument();
    expect(within(dialog).getByText(/ImportMode/)).toBeInTheDocument();
    expect(within(dialog).getByText('No output.')).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    const api = createForecastApiMock({
      getExecution: jest.fn(async () => {
        throw await responseError(
          404,
          'NotFoundError',
          'Execution does not belong to this workload',
        );
      }),
    });
    await renderDialog(api);
    expect(
      await screen.findByText(
        /Error: Execution does not belong to this workload/,
      ),
    ).toBeInTheDocument();
  });

  it('reloads a RUNNING execution until it ends', async () => {
    jest.useFakeTimers();
    const running = mockExecution('workflow', 'live', {
      status: 'RUNNING',
      minutesAgo: 1,
    });
    const getExecution = jest
      .fn()
      .mockResolvedValueOnce({ execution: running, steps: [] })
      .mockResolvedValue({
        execution: { ...running, status: 'SUCCEEDED' },
        steps: [],
        output: '{"ok":true}',
      });
    const api = createForecastApiMock({ getExecution });
    await renderDialog(api);

    expect(
      await screen.findByText('The output is available when the run finishes.'),
    ).toBeInTheDocument();
    await act(() => jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS));
    expect(
      screen.queryByText('The output is available when the run finishes.'),
    ).not.toBeInTheDocument();
    expect(screen.getByRole('dialog')).toHaveTextContent('"ok": true');

    await act(() => jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS * 3));
    expect(getExecution).toHaveBeenCalledTimes(2);
  });
});
