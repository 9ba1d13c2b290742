import { useState } from 'react';
import Typography from '@material-ui/core/Typography';
import {
  InfoCard,
  Progress,
  SubvalueCell,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type {
  ExecutionSummary,
  PipelineSummary,
} from '@forecast-pipelines/plugin-forecast-common';
import { forecastApiRef } from '../../api';
import { useEntityRef, usePolledAsync, useRerunPermission } from '../../hooks';
import {
  formatDateTime,
  formatElapsed,
  formatRelative,
} from '../../lib/format';
import { EmptyCardContent, ErrorWithRetry } from '../CardStates';
import { ExecutionStatus } from '../ExecutionStatus';
import { RerunDialog } from '../RerunDialog';
import { RerunButton } from './RerunButton';

export interface PipelinesCardProps {
  /** Executions started from this page, newest first. */
  startedExecutions?: ExecutionSummary[];
  onExecutionStarted?: (execution: ExecutionSummary) => void;
}

/** Shows a run started from this page until the backend lists a newer one. */
function withStartedExecutions(
  pipelines: PipelineSummary[],
  started: ExecutionSummary[],
): PipelineSummary[] {
  return pipelines.map(pipeline => {
    const newest = started.find(e => e.pipelineKey === pipeline.key);
    const last = pipeline.lastExecution;
    const listed =
      last &&
      (last.executionArn === newest?.executionArn ||
        Date.parse(last.startDate) >= Date.parse(newest?.startDate ?? ''));
    if (!newest || listed) {
      return pipeline;
    }
    return { ...pipeline, lastExecution: newest };
  });
}

/**
 * The workload's pipelines (state machines) with their last run and a Rerun
 * button. Refreshes on its own while a last run is RUNNING.
 */
export const PipelinesCard = (props: PipelinesCardProps) => {
  const { onExecutionStarted } = props;
  const forecastApi = useApi(forecastApiRef);
  const { entityRef, entityRefString } = useEntityRef();
  const permission = useRerunPermission(entityRefString);
  const [rerunPipeline, setRerunPipeline] = useState<PipelineSummary>();
  const [startedHere, setStartedHere] = useState<ExecutionSummary[]>([]);
  const startedExecutions = [
    ...startedHere,
    ...(props.startedExecutions ?? []),
  ];

  const { value, loading, error, reload } = usePolledAsync(
    () => forecastApi.getPipelines(entityRef),
    [forecastApi, entityRef],
    {
      shouldPoll: response =>
        withStartedExecutions(response.pipelines, startedExecutions).some(
          p => p.lastExecution?.status === 'RUNNING',
        ),
    },
  );

  const pipelines = value
    ? withStartedExecutions(value.pipelines, startedExecutions)
    : [];

  const columns: TableColumn<PipelineSummary>[] = [
    {
      title: 'Pipeline',
      field: 'title',
      render: row => <SubvalueCell value={row.title} subvalue={row.name} />,
    },
    {
      title: 'Last run',
      render: row =>
        row.lastExecution ? (
          <ExecutionStatus status={row.lastExecution.status} />
        ) : (
          <Typography variant="body2" color="textSecondary">
            Never run
          </Typography>
        ),
    },
    {
      title: 'Started',
      render: row =>
        row.lastExecution ? (
          <SubvalueCell
            value={formatRelative(row.lastExecution.startDate)}
            subvalue={formatDateTime(row.lastExecution.startDate)}
          />
        ) : (
          '-'
        ),
    },
    {
      title: 'Duration',
      render: row =>
        row.lastExecution
          ? formatElapsed(
              row.lastExecution.startDate,
              row.lastExecution.stopDate,
            )
          : '-',
    },
    {
      title: '',
      align: 'right',
      render: row => (
        <RerunButton
          pipelineTitle={row.title}
          permission={permission}
          onClick={() => setRerunPipeline(row)}
        />
      ),
    },
  ];

  let content;
  if (error) {
    content = <ErrorWithRetry error={error} onRetry={reload} />;
  } else if (!value) {
    content = <Progress />;
  } else if (pipelines.length === 0) {
    content = (
      <EmptyCardContent title="No pipelines found">
        The workload stack has no state machine outputs. Check that the stack
        was created from the forecast-workload template and finished deploying.
      </EmptyCardContent>
    );
  } else {
    content = (
      <Table<PipelineSummary>
        columns={columns}
        data={pipelines}
        isLoading={loading && !value}
        options={{
          paging: false,
          search: false,
          toolbar: false,
          padding: 'dense',
        }}
      />
    );
  }

  return (
    <InfoCard title="Pipelines" noPadding={Boolean(value && !error)}>
      {content}
      {rerunPipeline && (
        <RerunDialog
          entityRef={entityRef}
          pipeline={rerunPipeline}
          onClose={() => setRerunPipeline(undefined)}
          onStarted={execution => {
            setStartedHere(previous => [execution, ...previous]);
            onExecutionStarted?.(execution);
            reload();
          }}
        />
      )}
    </InfoCard>
  );
};
