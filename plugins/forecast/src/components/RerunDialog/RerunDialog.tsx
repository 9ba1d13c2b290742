import { useEffect, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import type {
  ExecutionSummary,
  PipelineSummary,
} from '@forecast-pipelines/plugin-forecast-common';
import useAsync from 'react-use/lib/useAsync';
import { forecastApiRef } from '../../api';
import { describeError } from '../../lib/describeError';
import { formatDateTime } from '../../lib/format';
import { ExecutionStatus } from '../ExecutionStatus';

/** Returns why `text` is not valid JSON, or undefined when it is. */
export function checkJsonInput(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return `The input is not valid JSON (${
      (error as Error).message
    }). Fix it, or reset it to the last run's input.`;
  }
}

function prettyJson(text: string | undefined): string {
  if (!text) {
    return '{}';
  }
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function isConflict(error: unknown): boolean {
  return error instanceof ResponseError && error.response.status === 409;
}

export interface RerunDialogProps {
  entityRef: CompoundEntityRef;
  pipeline: PipelineSummary;
  onClose: () => void;
  /** Called with the new execution as soon as the backend started it. */
  onStarted: (execution: ExecutionSummary) => void;
}

/**
 * Confirms a rerun: shows which state machine will run with which input,
 * lets the user edit the input as JSON, starts the run and shows the result.
 */
export const RerunDialog = (props: RerunDialogProps) => {
  const { entityRef, pipeline, onClose, onStarted } = props;
  const forecastApi = useApi(forecastApiRef);
  const last = pipeline.lastExecution;

  const [input, setInput] = useState<string>('{}');
  const [edited, setEdited] = useState(false);
  const [force, setForce] = useState(false);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<Error>();
  const [started, setStarted] = useState<ExecutionSummary>();

  const lastInput = useAsync(async () => {
    if (!last) {
      return undefined;
    }
    const detail = await forecastApi.getExecution(entityRef, last.executionArn);
    return detail.input;
  }, [forecastApi, entityRef, last?.executionArn]);

  useEffect(() => {
    if (!edited) {
      setInput(prettyJson(lastInput.value));
    }
  }, [lastInput.value, edited]);

  const inputProblem = checkJsonInput(input);
  const running = last?.status === 'RUNNING';
  const needsForce = running || isConflict(startError);

  const start = async () => {
    setStarting(true);
    setStartError(undefined);
    try {
      const response = await forecastApi.rerunPipeline(
        entityRef,
        pipeline.key,
        {
          // Without an input the backend reuses the last run's input, which
          // is what the dialog shows until the user edits it.
          input:
            edited || !last ? JSON.stringify(JSON.parse(input)) : undefined,
          force: force || undefined,
        },
      );
      setStarted(response.execution);
      onStarted(response.execution);
    } catch (error) {
      setStartError(error as Error);
    } finally {
      setStarting(false);
    }
  };

  if (started) {
    return (
      <Dialog open onClose={onClose} fullWidth maxWidth="sm">
        <DialogTitle>Started {pipeline.title}</DialogTitle>
        <DialogContent>
          <Typography gutterBottom>
            Execution <strong>{started.name}</strong> started at{' '}
            {formatDateTime(started.startDate)}.
          </Typography>
          <ExecutionStatus status={started.status} />
          <Typography variant="body2" color="textSecondary">
            It is listed in the executions table, which refreshes until the run
            finishes.
          </Typography>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} color="primary">
            Close
          </Button>
        </DialogActions>
      </Dialog>
    );
  }

  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md">
      <DialogTitle>Rerun {pipeline.title}?</DialogTitle>
      <DialogContent>
        <Typography gutterBottom>
          This starts a new execution of the state machine{' '}
          <strong>{pipeline.name}</strong>.
        </Typography>
        <Typography variant="body2" color="textSecondary" gutterBottom>
          {pipeline.stateMachineArn}
        </Typography>

        {needsForce && (
          <Box marginY={2}>
            <Alert severity="warning">
              A run of this pipeline is in progress. Starting another one runs
              both at the same time.
            </Alert>
            <FormControlLabel
              control={
                <Checkbox
                  checked={force}
                  onChange={event => setForce(event.target.checked)}
                />
              }
              label="Start another run anyway"
            />
          </Box>
        )}

        <Box marginY={2}>
          {lastInput.loading && <Progress />}
          {lastInput.error && (
            <Alert severity="warning">
              The last run's input could not be loaded (
              {lastInput.error.message}). Without an edit, the backend reuses it
              anyway.
            </Alert>
          )}
          <TextField
            label={
              last
                ? `Input (from the last run, ${last.name})`
                : 'Input (no earlier run)'
            }
            multiline
            fullWidth
            minRows={4}
            maxRows={16}
            variant="outlined"
            value={input}
            onChange={event => {
              setInput(event.target.value);
              setEdited(true);
            }}
            error={Boolean(inputProblem)}
            helperText={
              inputProblem ??
              'JSON passed to the state machine. Leave it as it is unless you need to change a setting for this run.'
            }
            inputProps={{ 'aria-label': 'Execution input', spellCheck: false }}
          />
          {edited && (
            <Button
              size="small"
              onClick={() => {
                setEdited(false);
                setInput(prettyJson(lastInput.value));
              }}
            >
              Reset to the last run's input
            </Button>
          )}
        </Box>

        {startError && (
          <ResponseErrorPanel
            error={startError}
            title={`The rerun failed to start: ${describeError(startError)}`}
          />
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={starting}>
          Cancel
        </Button>
        <Button
          color="primary"
          variant="contained"
          onClick={start}
          disabled={starting || Boolean(inputProblem) || (needsForce && !force)}
        >
          {starting ? 'Starting…' : 'Rerun'}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
