import Grid from '@material-ui/core/Grid';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type {
  AccuracyResponse,
  WorkloadResponse,
} from '@forecast-pipelines/plugin-forecast-common';
import useAsyncRetry from 'react-use/lib/useAsyncRetry';
import { forecastApiRef } from '../../api';
import { useEntityRef } from '../../hooks';
import { formatDateTime, formatMetric, formatRelative } from '../../lib/format';
import { AboutField } from '../AboutField';
import { ErrorWithRetry } from '../CardStates';
import { StackStatus } from '../ExecutionStatus';

/** Props of the cards that load once and again when `refreshKey` changes. */
export interface RefreshProps {
  /** Changing it reloads the card, for example after a run finished. */
  refreshKey?: number;
}

interface OverviewData {
  workload: WorkloadResponse;
  accuracy?: AccuracyResponse;
  accuracyError?: Error;
}

const Schedule = ({ workload }: { workload: WorkloadResponse }) => {
  if (!workload.schedule?.expression) {
    return (
      <>
        No schedule: the workflow runs only when someone starts it. To run it
        regularly, run the workload template again and pick a schedule on its
        Operations page.
      </>
    );
  }
  const { expression, state, nextRun } = workload.schedule;
  return (
    <>
      <code>{expression}</code> ({state.toLocaleLowerCase('en-US')})
      {nextRun && state === 'ENABLED' && (
        <Typography variant="body2" color="textSecondary">
          Next run {formatRelative(nextRun)} ({formatDateTime(nextRun)})
        </Typography>
      )}
    </>
  );
};

const LastForecast = ({ workload }: { workload: WorkloadResponse }) => {
  const last = workload.lastSuccessfulForecast;
  if (!last) {
    return (
      <>
        No successful forecast yet. Rerun the end-to-end workflow from the
        Forecast tab to create one.
      </>
    );
  }
  return (
    <Tooltip title={formatDateTime(last.stopDate)}>
      <span>{formatRelative(last.stopDate)}</span>
    </Tooltip>
  );
};

const Accuracy = ({ data }: { data: OverviewData }) => {
  if (data.accuracyError) {
    return <>Accuracy is unavailable: {data.accuracyError.message}</>;
  }
  const summary = data.accuracy?.windows.find(
    window => window.evaluationType === 'SUMMARY',
  );
  if (!data.accuracy?.predictorArn || !summary) {
    return (
      <>
        No predictor has been trained yet. The train-predictor pipeline trains
        one from the imported data.
      </>
    );
  }
  const errors = summary.metrics.errorMetrics[0];
  return (
    <>
      <Typography variant="body2">
        Average wQL {formatMetric(summary.metrics.averageWeightedQuantileLoss)}
        {' · '}WAPE {formatMetric(errors?.wape)}
        {' · '}RMSE {formatMetric(errors?.rmse ?? summary.metrics.rmse)}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        Predictor {data.accuracy.predictorName}, optimized for{' '}
        {data.accuracy.optimizationMetric ?? 'the default metric'}
      </Typography>
    </>
  );
};

/** Renders the overview card's content once the workload has loaded. */
export const ForecastOverview = ({ data }: { data: OverviewData }) => {
  const { workload } = data;
  return (
    <Grid container spacing={2}>
      <AboutField label="Stack status">
        <StackStatus status={workload.stackStatus} />
        {workload.stackStatusReason && (
          <Typography variant="body2" color="textSecondary">
            {workload.stackStatusReason}
          </Typography>
        )}
      </AboutField>
      <AboutField label="Last successful forecast">
        <LastForecast workload={workload} />
      </AboutField>
      <AboutField label="Schedule">
        <Schedule workload={workload} />
      </AboutField>
      <AboutField label="Accuracy of the selected predictor">
        <Accuracy data={data} />
      </AboutField>
      <AboutField label="AWS console" gridSizes={{ xs: 12 }}>
        {workload.links.length === 0
          ? 'No console links for this workload.'
          : workload.links.map((link, index) => (
              <span key={link.url}>
                {index > 0 && ' · '}
                <Link to={link.url}>{link.title}</Link>
              </span>
            ))}
      </AboutField>
      {data.workload.stale && (
        <Grid item xs={12}>
          <Typography variant="caption" color="textSecondary">
            AWS throttled the request, so this is a cached copy.
          </Typography>
        </Grid>
      )}
    </Grid>
  );
};

/**
 * Overview card of a Forecast workload: stack status, last successful
 * forecast, schedule, accuracy and links to the AWS console.
 */
export const ForecastOverviewCard = (props: RefreshProps) => {
  const forecastApi = useApi(forecastApiRef);
  const { entityRef } = useEntityRef();

  const { value, loading, error, retry } = useAsyncRetry(async () => {
    const [workload, accuracy] = await Promise.allSettled([
      forecastApi.getWorkload(entityRef),
      forecastApi.getAccuracy(entityRef),
    ]);
    if (workload.status === 'rejected') {
      throw workload.reason;
    }
    const data: OverviewData = { workload: workload.value };
    if (accuracy.status === 'fulfilled') {
      data.accuracy = accuracy.value;
    } else {
      data.accuracyError = accuracy.reason;
    }
    return data;
  }, [forecastApi, entityRef, props.refreshKey]);

  let content;
  if (loading) {
    content = <Progress />;
  } else if (error) {
    content = <ErrorWithRetry error={error} onRetry={retry} />;
  } else if (value) {
    content = <ForecastOverview data={value} />;
  }

  return (
    <InfoCard title="Forecast pipeline" subheader={value?.workload.stackName}>
      {content}
    </InfoCard>
  );
};
