import { useEffect, useRef, useState } from 'react';
import Box from '@material-ui/core/Box';
import IconButton from '@material-ui/core/IconButton';
import TablePagination from '@material-ui/core/TablePagination';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import {
  InfoCard,
  Progress,
  Select,
  SubvalueCell,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type {
  ExecutionStatus as Status,
  ExecutionSummary,
} from '@forecast-pipelines/plugin-forecast-common';
import { forecastApiRef } from '../../api';
import { useEntityRef, usePolledAsync } from '../../hooks';
import {
  formatDateTime,
  formatElapsed,
  formatRelative,
  formatStartedBy,
} from '../../lib/format';
import { PIPELINE_FILTER_OPTIONS } from '../../lib/pipelines';
import { EmptyCardContent, ErrorWithRetry } from '../CardStates';
import { ExecutionDetailDialog } from '../ExecutionDetailDialog';
import { ExecutionStatus } from '../ExecutionStatus';

const STATUSES: Status[] = [
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
  'PENDING_REDRIVE',
];

const ALL = 'all';

export interface ExecutionsTableProps {
  /** Pipeline keys and titles for the pipeline filter. */
  pipelines?: { key: string; title: string }[];
  /**
   * Executions started from this page. They are listed at once, before the
   * backend returns them, when they match the filters.
   */
  startedExecutions?: ExecutionSummary[];
  pageSize?: number;
  /**
   * Called when the table stops polling because no execution on the page is
   * RUNNING any more, so other cards can load the run's results.
   */
  onRunsFinished?: () => void;
}

const columns: TableColumn<ExecutionSummary>[] = [
  {
    title: 'Execution',
    field: 'name',
    render: row => <SubvalueCell value={row.name} subvalue={row.pipelineKey} />,
  },
  {
    title: 'Status',
    field: 'status',
    render: row => <ExecutionStatus status={row.status} />,
  },
  {
    title: 'Started',
    field: 'startDate',
    render: row => (
      <SubvalueCell
        value={formatRelative(row.startDate)}
        subvalue={formatDateTime(row.startDate)}
      />
    ),
  },
  {
    title: 'Duration',
    render: row => formatElapsed(row.startDate, row.stopDate),
  },
  {
    title: 'Started by',
    field: 'startedBy',
    render: row => formatStartedBy(row.startedBy),
  },
];

/**
 * Executions of the workload's pipelines, newest first, paged by the backend
 * and filtered by pipeline and status. Reloads every few seconds while an
 * execution on the page is RUNNING. A row opens the execution's detail.
 */
export const ExecutionsTable = (props: ExecutionsTableProps) => {
  const {
    pipelines = PIPELINE_FILTER_OPTIONS,
    startedExecutions = [],
    pageSize = 10,
    onRunsFinished,
  } = props;
  const forecastApi = useApi(forecastApiRef);
  const { entityRef } = useEntityRef();

  const [pipeline, setPipeline] = useState<string>(ALL);
  const [status, setStatus] = useState<string>(ALL);
  // pageTokens[n] is the token of page n, and page 0 needs none.
  const [pageTokens, setPageTokens] = useState<(string | undefined)[]>([
    undefined,
  ]);
  const [page, setPage] = useState(0);
  const [selected, setSelected] = useState<ExecutionSummary>();

  const query = {
    pipeline: pipeline === ALL ? undefined : pipeline,
    status: status === ALL ? undefined : (status as Status),
    pageToken: pageTokens[page],
    pageSize,
  };

  const matchesFilters = (execution: ExecutionSummary) =>
    (!query.pipeline || execution.pipelineKey === query.pipeline) &&
    (!query.status || execution.status === query.status);

  const rowsOf = (listed: ExecutionSummary[]) => {
    if (page !== 0) {
      return listed;
    }
    const known = new Set(listed.map(e => e.executionArn));
    const pending = startedExecutions.filter(
      e => !known.has(e.executionArn) && matchesFilters(e),
    );
    return [...pending, ...listed];
  };

  const { value, loading, error, polling, reload } = usePolledAsync(
    () => forecastApi.getExecutions(entityRef, query),
    [
      forecastApi,
      entityRef,
      query.pipeline,
      query.status,
      query.pageToken,
      pageSize,
      startedExecutions.length,
    ],
    {
      shouldPoll: response =>
        rowsOf(response.executions).some(e => e.status === 'RUNNING'),
    },
  );

  const wasPolling = useRef(false);
  useEffect(() => {
    if (wasPolling.current && !polling && !error) {
      onRunsFinished?.();
    }
    wasPolling.current = polling;
  }, [polling, error, onRunsFinished]);

  const resetPaging = () => {
    setPageTokens([undefined]);
    setPage(0);
  };

  const rows = value ? rowsOf(value.executions) : [];
  const hasNextPage = Boolean(value?.nextPageToken);

  const changePage = (next: number) => {
    if (next > page && value?.nextPageToken) {
      const tokens = pageTokens.slice(0, next);
      tokens[next] = value.nextPageToken;
      setPageTokens(tokens);
    }
    setPage(next);
  };

  const filters = (
    <Box
      display="flex"
      alignItems="flex-end"
      flexWrap="wrap"
      style={{ gap: 16 }}
    >
      <Box minWidth={220}>
        <Select
          label="Pipeline"
          selected={pipeline}
          items={[
            { label: 'All pipelines', value: ALL },
            ...pipelines.map(p => ({ label: p.title, value: p.key })),
          ]}
          onChange={selection => {
            setPipeline(String(selection));
            resetPaging();
          }}
        />
      </Box>
      <Box minWidth={180}>
        <Select
          label="Status"
          selected={status}
          items={[
            { label: 'All statuses', value: ALL },
            ...STATUSES.map(s => ({ label: s, value: s })),
          ]}
          onChange={selection => {
            setStatus(String(selection));
            resetPaging();
          }}
        />
      </Box>
      <Box flexGrow={1} />
      <Box paddingBottom={1}>
        {polling && (
          <Typography variant="caption" color="textSecondary">
            Refreshing while a run is in progress
          </Typography>
        )}
        <Tooltip title="Refresh">
          <IconButton aria-label="Refresh executions" onClick={reload}>
            <RefreshIcon />
          </IconButton>
        </Tooltip>
      </Box>
    </Box>
  );

  let content;
  if (error) {
    content = <ErrorWithRetry error={error} onRetry={reload} />;
  } else if (!value) {
    content = <Progress />;
  } else if (rows.length === 0) {
    content =
      query.pipeline || query.status ? (
        <EmptyCardContent title="No executions match these filters">
          Choose another pipeline or status, or clear the filters.
        </EmptyCardContent>
      ) : (
        <EmptyCardContent title="No executions yet">
          Start the end-to-end workflow with Rerun in the Pipelines card, or
          wait for the schedule to start it.
        </EmptyCardContent>
      );
  } else {
    content = (
      <>
        <Table<ExecutionSummary>
          columns={columns}
          data={rows}
          isLoading={loading && !polling}
          onRowClick={(_event, row) => setSelected(row)}
          options={{
            paging: false,
            search: false,
            toolbar: false,
            padding: 'dense',
          }}
        />
        <TablePagination
          component="div"
          count={hasNextPage ? -1 : page * pageSize + rows.length}
          page={page}
          rowsPerPage={pageSize}
          rowsPerPageOptions={[pageSize]}
          onPageChange={(_event, next) => changePage(next)}
          labelDisplayedRows={() =>
            `Page ${page + 1}${hasNextPage ? '' : ' (last)'}`
          }
        />
      </>
    );
  }

  return (
    <InfoCard title="Executions">
      {filters}
      {content}
      {selected && (
        <ExecutionDetailDialog
          entityRef={entityRef}
          execution={selected}
          onClose={() => setSelected(undefined)}
        />
      )}
    </InfoCard>
  );
};
