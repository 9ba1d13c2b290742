import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  InfoCard,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type {
  AccuracyMetrics,
  AccuracyResponse,
  AccuracyWindow,
} from '@forecast-pipelines/plugin-forecast-common';
import useAsyncRetry from 'react-use/lib/useAsyncRetry';
import { forecastApiRef } from '../../api';
import { useEntityRef } from '../../hooks';
import { formatDateTime, formatMetric } from '../../lib/format';
import { AboutField } from '../AboutField';
import { EmptyCardContent, ErrorWithRetry } from '../CardStates';
import type { RefreshProps } from '../ForecastOverviewCard';

/** Error metrics of the mean forecast, else of the first forecast type. */
function errorMetricsOf(metrics: AccuracyMetrics) {
  return (
    metrics.errorMetrics.find(m => m.forecastType === 'mean') ??
    metrics.errorMetrics[0]
  );
}

function quantileLabel(quantile: number): string {
  return `wQL p${Math.round(quantile * 100)}`;
}

const Summary = ({ metrics }: { metrics: AccuracyMetrics }) => {
  const errors = errorMetricsOf(metrics);
  const sizes = { xs: 6, sm: 4, lg: 4 } as const;
  return (
    <Grid container spacing={2}>
      <AboutField label="Average wQL" gridSizes={sizes}>
        {formatMetric(metrics.averageWeightedQuantileLoss)}
      </AboutField>
      {[...metrics.weightedQuantileLosses]
        .sort((a, b) => a.quantile - b.quantile)
        .map(loss => (
          <AboutField
            key={loss.quantile}
            label={quantileLabel(loss.quantile)}
            gridSizes={sizes}
          >
            {formatMetric(loss.lossValue)}
          </AboutField>
        ))}
      <AboutField label="WAPE" gridSizes={sizes}>
        {formatMetric(errors?.wape)}
      </AboutField>
      <AboutField label="RMSE" gridSizes={sizes}>
        {formatMetric(errors?.rmse ?? metrics.rmse)}
      </AboutField>
      <AboutField label="MASE" gridSizes={sizes}>
        {formatMetric(errors?.mase)}
      </AboutField>
      <AboutField label="MAPE" gridSizes={sizes}>
        {formatMetric(errors?.mape)}
      </AboutField>
    </Grid>
  );
};

function windowColumns(quantiles: number[]): TableColumn<AccuracyWindow>[] {
  return [
    {
      title: 'Test window',
      render: row =>
        `${formatDateTime(row.testWindowStart)} to ${formatDateTime(
          row.testWindowEnd,
        )}`,
    },
    { title: 'Items', render: row => row.itemCount ?? '-' },
    {
      title: 'Average wQL',
      render: row => formatMetric(row.metrics.averageWeightedQuantileLoss),
    },
    ...quantiles.map(
      (quantile): TableColumn<AccuracyWindow> => ({
        title: quantileLabel(quantile),
        render: row =>
          formatMetric(
            row.metrics.weightedQuantileLosses.find(
              loss => loss.quantile === quantile,
            )?.lossValue,
          ),
      }),
    ),
    {
      title: 'WAPE',
      render: row => formatMetric(errorMetricsOf(row.metrics)?.wape),
    },
    {
      title: 'RMSE',
      render: row =>
        formatMetric(errorMetricsOf(row.metrics)?.rmse ?? row.metrics.rmse),
    },
    {
      title: 'MASE',
      render: row => formatMetric(errorMetricsOf(row.metrics)?.mase),
    },
    {
      title: 'MAPE',
      render: row => formatMetric(errorMetricsOf(row.metrics)?.mape),
    },
  ];
}

/** The accuracy card's content once metrics have loaded. */
export const AccuracyDetails = ({
  accuracy,
}: {
  accuracy: AccuracyResponse;
}) => {
  const summary = accuracy.windows.find(w => w.evaluationType === 'SUMMARY');
  const computed = accuracy.windows.filter(
    w => w.evaluationType === 'COMPUTED',
  );
  const quantiles = [
    ...new Set(
      accuracy.windows.flatMap(w =>
        w.metrics.weightedQuantileLosses.map(loss => loss.quantile),
      ),
    ),
  ].sort((a, b) => a - b);

  return (
    <>
      <Typography variant="body2" color="textSecondary" gutterBottom>
        Predictor <strong>{accuracy.predictorName}</strong>
        {accuracy.optimizationMetric
          ? `, optimized for ${accuracy.optimizationMetric}`
          : ''}
        . Lower is better for every metric.
      </Typography>
      {summary && (
        <Box marginY={2}>
          <Typography variant="h6">Summary of all backtest windows</Typography>
          <Summary metrics={summary.metrics} />
        </Box>
      )}
      {computed.length > 0 && (
        <Table<AccuracyWindow>
          title="Per backtest window"
          columns={windowColumns(quantiles)}
          data={computed}
          options={{ paging: false, search: false, padding: 'dense' }}
        />
      )}
    </>
  );
};

/** Backtest accuracy of the workload's selected predictor. */
export const AccuracyCard = (props: RefreshProps) => {
  const forecastApi = useApi(forecastApiRef);
  const { entityRef } = useEntityRef();
  const { value, loading, error, retry } = useAsyncRetry(
    () => forecastApi.getAccuracy(entityRef),
    [forecastApi, entityRef, props.refreshKey],
  );

  let content;
  if (loading) {
    content = <Progress />;
  } else if (error) {
    content = <ErrorWithRetry error={error} onRetry={retry} />;
  } else if (!value?.predictorArn || value.windows.length === 0) {
    content = (
      <EmptyCardContent title="No accuracy metrics yet">
        Metrics appear once the train-predictor pipeline has trained a predictor
        and the select-predictor pipeline has picked it. Rerun the end-to-end
        workflow to do both.
      </EmptyCardContent>
    );
  } else {
    content = <AccuracyDetails accuracy={value} />;
  }

  return <InfoCard title="Accuracy">{content}</InfoCard>;
};
