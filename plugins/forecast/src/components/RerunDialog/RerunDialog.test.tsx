import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import {
  mockEntity,
  mockExecution,
  mockExecutionDetail,
  mockPipelines,
} from '../../mocks/mockData';
import {
  createForecastApiMock,
  renderWithEntity,
  responseError,
} from '../../__testUtils__/renderWithEntity';
import { checkJsonInput, RerunDialog } from './RerunDialog';

const entityRef = getCompoundEntityRef(mockEntity);
const [workflow, neverRun] = mockPipelines();
const started = mockExecution('workflow', 'rerun-1', {
  status: 'RUNNING',
  minutesAgo: 0,
});

function renderDialog(
  api: ReturnType<typeof createForecastApiMock>,
  pipeline = workflow,
) {
  const onStarted = jest.fn();
  const onClose = jest.fn();
  return {
    onStarted,
    onClose,
    rendered: renderWithEntity(
      <RerunDialog
        entityRef={entityRef}
        pipeline={pipeline}
        onClose={onClose}
        onStarted={onStarted}
      />,
      { api },
    ),
  };
}

function inputBox(): HTMLElement {
  return screen.getByLabelText('Execution input', { selector: 'textarea' });
}

describe('checkJsonInput', () => {
  it('accepts JSON and rejects other text', () => {
    expect(checkJsonInput('{"a":1}')).toBeUndefined();
    expect(checkJsonInput('{a:1}')).toMatch(/^The input is not valid JSON/);
  });
});

describe('RerunDialog', () => {
  it('sends an edited input', async () => {
    const api = createForecastApiMock({
      getExecution: jest.fn(async () => mockExecutionDetail),
      rerunPipeline: jest.fn(async () => ({ execution: started })),
    });
    const { onStarted, rendered } = renderDialog(api);
    await rendered;

    await waitFor(() =>
      expect(inputBox()).toHaveValue('{\n  "ImportMode": "FULL"\n}'),
    );
    fireEvent.change(inputBox(), {
      target: { value: '{"ImportMode":"INCREMENTAL"}' },
    });
    await userEvent.click(screen.getByRole('button', { name: 'Rerun' }));

    await screen.findByText(/Started End-to-end workflow/);
    expect(api.rerunPipeline).toHaveBeenCalledWith(entityRef, 'workflow', {
      input: '{"ImportMode":"INCREMENTAL"}',
      force: undefined,
    });
    expect(onStarted).toHaveBeenCalledWith(started);
  });

  it('blocks invalid JSON input', async () => {
    const api = createForecastApiMock({
      getExecution: jest.fn(async () => mockExecutionDetail),
    });
    await renderDialog(api).rendered;
    await waitFor(() =>
      expect(inputBox()).toHaveValue('{\n  "ImportMode": "FULL"\n}'),
    );

    fireEvent.change(inputBox(), { target: { value: '{"ImportMode": ' } });

    expect(screen.getByText(/The input is not valid JSON/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Rerun' })).toBeDisabled();

    await userEvent.click(
      screen.getByRole('button', { name: "Reset to the last run's input" }),
    );
    expect(inputBox()).toHaveValue('{\n  "ImportMode": "FULL"\n}');
    expect(screen.getByRole('button', { name: 'Rerun' })).toBeEnabled();
  });

  it('sends {} for a pipeline that never ran', async () => {
    const api = createForecastApiMock({
      rerunPipeline: jest.fn(async () => ({ execution: started })),
    });
    const { onStarted, rendered } = renderDialog(api, neverRun);
    await rendered;

    expect(await screen.findByLabelText('Execution input')).toHaveValue('{}');
    expect(
      screen.getByText('Input (no earlier run)', { selector: 'label' }),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Rerun' }));

    await screen.findByText(/Started Create dataset group/);
    expect(api.getExecution).not.toHaveBeenCalled();
    expect(api.rerunPipeline).toHaveBeenCalledWith(
      entityRef,
      'create-dataset-group',
      { input: '{}', force: undefined },
    );
    expect(onStarted).toHaveBeenCalledWith(started);
  });

  it('asks before starting over a RUNNING run', async () => {
    const runningPipeline = {
      ...workflow,
      lastExecution: { ...workflow.lastExecution!, status: 'RUNNING' as const },
    };
    const api = createForecastApiMock({
      getExecution: jest.fn(async () => mockExecutionDetail),
      rerunPipeline: jest.fn(async () => ({ execution: started })),
    });
    await renderDialog(api, runningPipeline).rendered;

    expect(
      await screen.findByText(/A run of this pipeline is in progress/),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Rerun' })).toBeDisabled();

    await userEvent.click(screen.getByLabelText('Start another run anyway'));
    await userEvent.click(screen.getByRole('button', { name: 'Rerun' }));

    await screen.findByText(/Started End-to-end workflow/);
    expect(api.rerunPipeline).toHaveBeenCalledWith(entityRef, 'workflow', {
      input: undefined,
      force: true,
    });
  });

  it('offers force after a 409 conflict', async () => {
    const conflict = await responseError(
      409,
      'ConflictError',
      'Execution nightly-4 of workflow is RUNNING; pass force to start another',
    );
    const api = createForecastApiMock({
      getExecution: jest.fn(async () => mockExecutionDetail),
      rerunPipeline: jest
        .fn()
        .mockRejectedValueOnce(conflict)
        .mockResolvedValueOnce({ execution: started }),
    });
    await renderDialog(api).rendered;
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Rerun' })).toBeEnabled(),
    );

    await userEvent.click(screen.getByRole('button', { name: 'Rerun' }));

    expect(
      await screen.findByText(
        /Error: The rerun failed to start: .*nightly-4 of workflow is RUNNING/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Rerun' })).toBeDisabled();

    await userEvent.click(screen.getByLabelText('Start another run anyway'));
    await userEvent.click(screen.getByRole('button', { name: 'Rerun' }));
    await screen.findByText(/Started End-to-end workflow/);
    expect(api.rerunPipeline).toHaveBeenLastCalledWith(entityRef, 'workflow', {
      input: undefined,
      force: true,
    });
  });
});
