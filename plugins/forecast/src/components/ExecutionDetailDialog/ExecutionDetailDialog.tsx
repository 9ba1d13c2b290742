import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import Timeline from '@material-ui/lab/Timeline';
import TimelineConnector from '@material-ui/lab/TimelineConnector';
import TimelineContent from '@material-ui/lab/TimelineContent';
import TimelineDot from '@material-ui/lab/TimelineDot';
import TimelineItem from '@material-ui/lab/TimelineItem';
import TimelineOppositeContent from '@material-ui/lab/TimelineOppositeContent';
import TimelineSeparator from '@material-ui/lab/TimelineSeparator';
import { CodeSnippet, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  ExecutionDetailResponse,
  ExecutionStep,
  ExecutionSummary,
} from '@forecast-pipelines/plugin-forecast-common';
import { forecastApiRef } from '../../api';
import { usePolledAsync } from '../../hooks';
import {
  formatDateTime,
  formatElapsed,
  formatStartedBy,
} from '../../lib/format';
import { AboutField } from '../AboutField';
import { ErrorWithRetry } from '../CardStates';
import { ExecutionStatus } from '../ExecutionStatus';

const DOT_COLORS: Record<
  ExecutionStep['status'],
  'primary' | 'secondary' | 'grey' | 'inherit'
> = {
  SUCCEEDED: 'primary',
  FAILED: 'secondary',
  RUNNING: 'grey',
  CAUGHT: 'inherit',
};

function prettyJson(text: string | undefined): string | undefined {
  if (text === undefined) {
    return undefined;
  }
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

const StepTimeline = ({ steps }: { steps: ExecutionStep[] }) => {
  if (steps.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        The execution history lists no steps yet.
      </Typography>
    );
  }
  return (
    <Timeline align="left">
      {steps.map((step, index) => (
        <TimelineItem key={`${step.name}-${index}`}>
          <TimelineOppositeContent style={{ flex: 0.25 }}>
            <Typography variant="caption" color="textSecondary">
              {formatDateTime(step.startDate)}
            </Typography>
          </TimelineOppositeContent>
          <TimelineSeparator>
            <TimelineDot
              color={DOT_COLORS[step.status]}
              variant={step.status === 'RUNNING' ? 'outlined' : 'default'}
            />
            {index < steps.length - 1 && <TimelineConnector />}
          </TimelineSeparator>
          <TimelineContent>
            <Typography variant="subtitle2">
              {step.name}{' '}
              <Typography component="span" variant="caption">
                ({step.type}, {step.status.toLocaleLowerCase('en-US')},{' '}
                {formatElapsed(step.startDate, step.endDate)})
              </Typography>
            </Typography>
            {step.error && (
              <Typography variant="body2" color="error">
                {step.error}
                {step.cause ? `: ${step.cause}` : ''}
              </Typography>
            )}
          </TimelineContent>
        </TimelineItem>
      ))}
    </Timeline>
  );
};

/** The detail of one execution once loaded. */
export const ExecutionDetail = ({
  detail,
}: {
  detail: ExecutionDetailResponse;
}) => {
  const { execution, failure } = detail;
  const input = prettyJson(detail.input);
  const output = prettyJson(detail.output);
  return (
    <>
      <Grid container spacing={2}>
        <AboutField label="Status" gridSizes={{ xs: 6, sm: 4 }}>
          <ExecutionStatus status={execution.status} />
        </AboutField>
        <AboutField label="Started" gridSizes={{ xs: 6, sm: 4 }}>
          {formatDateTime(execution.startDate)}
        </AboutField>
        <AboutField label="Duration" gridSizes={{ xs: 6, sm: 4 }}>
          {formatElapsed(execution.startDate, execution.stopDate)}
        </AboutField>
        <AboutField label="Started by" gridSizes={{ xs: 6, sm: 4 }}>
          {formatStartedBy(execution.startedBy)}
        </AboutField>
        <AboutField label="Execution ARN" gridSizes={{ xs: 12 }}>
          <code>{execution.executionArn}</code>
        </AboutField>
      </Grid>

      {failure && (
        <Box marginY={2}>
          <Alert severity="error">
            <AlertTitle>
              {failure.step ? `Failed at ${failure.step}` : 'Failed'}
              {failure.error ? `: ${failure.error}` : ''}
            </AlertTitle>
            {failure.cause ?? 'Step Functions reported no cause.'}
          </Alert>
        </Box>
      )}

      <Typography variant="h6">Steps</Typography>
      <StepTimeline steps={detail.steps} />

      <Typography variant="h6">Input</Typography>
      {input ? (
        <CodeSnippet text={input} language="json" showCopyCodeButton />
      ) : (
        <Typography variant="body2" color="textSecondary">
          No input.
        </Typography>
      )}

      <Box marginTop={2}>
        <Typography variant="h6">Output</Typography>
        {output ? (
          <CodeSnippet text={output} language="json" showCopyCodeButton />
        ) : (
          <Typography variant="body2" color="textSecondary">
            {execution.status === 'RUNNING'
              ? 'The output is available when the run finishes.'
              : 'No output.'}
          </Typography>
        )}
      </Box>
    </>
  );
};

/**
 * Dialog with the steps, failure, input and output of one execution. Reloads
 * while the execution is RUNNING.
 */
export const ExecutionDetailDialog = (props: {
  entityRef: CompoundEntityRef;
  execution: ExecutionSummary;
  onClose: () => void;
}) => {
  const { entityRef, execution, onClose } = props;
  const forecastApi = useApi(forecastApiRef);
  const { value, error, reload } = usePolledAsync(
    () => forecastApi.getExecution(entityRef, execution.executionArn),
    [forecastApi, entityRef, execution.executionArn],
    { shouldPoll: detail => detail.execution.status === 'RUNNING' },
  );

  let content;
  if (error) {
    content = <ErrorWithRetry error={error} onRetry={reload} />;
  } else if (!value) {
    content = <Progress />;
  } else {
    content = <ExecutionDetail detail={value} />;
  }

  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md">
      <DialogTitle>
        {execution.pipelineKey}: {execution.name}
      </DialogTitle>
      <DialogContent dividers>{content}</DialogContent>
      <DialogActions>
        <Button onClick={onClose} color="primary">
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
};
