import { useCallback, useState } from 'react';
import Grid from '@material-ui/core/Grid';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  FORECAST_STACK_ARN_ANNOTATION,
  type ExecutionSummary,
} from '@forecast-pipelines/plugin-forecast-common';
import { AccuracyCard } from '../AccuracyCard';
import { ExecutionsTable } from '../ExecutionsTable';
import { ExportsCard } from '../ExportsCard';
import { ForecastChartCard } from '../ForecastChartCard';
import { ForecastOverviewCard } from '../ForecastOverviewCard';
import { isForecastAvailable } from '../isForecastAvailable';
import { PipelinesCard } from '../PipelinesCard';

/**
 * Renders the Forecast tab of a workload entity: overview, exports,
 * pipelines with Rerun, executions, the forecast chart and accuracy.
 */
export const EntityForecastContent = () => {
  const { entity } = useEntity();
  const [started, setStarted] = useState<ExecutionSummary[]>([]);
  // Bumped when the runs on the executions page finish, so the cards that
  // show a run's results (exports, forecast, accuracy) load them.
  const [refreshKey, setRefreshKey] = useState(0);
  const onRunsFinished = useCallback(
    () => setRefreshKey(previous => previous + 1),
    [],
  );
  const onExecutionStarted = useCallback(
    (execution: ExecutionSummary) =>
      setStarted(previous => [execution, ...previous]),
    [],
  );

  if (!isForecastAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState annotation={FORECAST_STACK_ARN_ANNOTATION} />
    );
  }

  return (
    <Grid container spacing={3} alignItems="stretch">
      <Grid item xs={12} lg={5}>
        <ForecastOverviewCard refreshKey={refreshKey} />
      </Grid>
      <Grid item xs={12} lg={7}>
        <ExportsCard refreshKey={refreshKey} />
      </Grid>
      <Grid item xs={12}>
        <PipelinesCard
          startedExecutions={started}
          onExecutionStarted={onExecutionStarted}
        />
      </Grid>
      <Grid item xs={12}>
        <ExecutionsTable
          startedExecutions={started}
          onRunsFinished={onRunsFinished}
        />
      </Grid>
      <Grid item xs={12}>
        <ForecastChartCard refreshKey={refreshKey} />
      </Grid>
      <Grid item xs={12}>
        <AccuracyCard refreshKey={refreshKey} />
      </Grid>
    </Grid>
  );
};
