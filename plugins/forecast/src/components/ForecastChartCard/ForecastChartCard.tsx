import { useEffect, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { InfoCard, Progress, Select } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/lib/useAsyncRetry';
import { forecastApiRef, ForecastSeriesQuery } from '../../api';
import { useEntityRef } from '../../hooks';
import { EmptyCardContent, ErrorWithRetry } from '../CardStates';
import { buildChartData, pickSeries } from './chartData';
import { ForecastChart } from './ForecastChart';

/**
 * Chart of the newest forecast export for one item and its dimension
 * values, with the recent actuals before it.
 */
export const ForecastChartCard = (props: {
  height?: number;
  refreshKey?: number;
}) => {
  const forecastApi = useApi(forecastApiRef);
  const { entityRef } = useEntityRef();
  const [query, setQuery] = useState<ForecastSeriesQuery>({});
  const [dimensionDraft, setDimensionDraft] = useState<Record<string, string>>(
    {},
  );

  const { value, loading, error, retry } = useAsyncRetry(
    () => forecastApi.getForecast(entityRef, query),
    [
      forecastApi,
      entityRef,
      query.item,
      JSON.stringify(query.dimensions),
      props.refreshKey,
    ],
  );

  useEffect(() => {
    if (value) {
      setDimensionDraft(value.dimensions);
    }
  }, [value]);

  let content;
  if (error) {
    content = <ErrorWithRetry error={error} onRetry={retry} />;
  } else if (!value) {
    content = <Progress />;
  } else if (value.forecast.length === 0) {
    content = (
      <EmptyCardContent title="No forecast to chart yet">
        {value.exportJobArn
          ? `The newest export has no rows for item ${value.item}. Pick another item.`
          : 'No forecast has been exported yet. Rerun the end-to-end workflow; the chart shows the newest export once it finishes.'}
      </EmptyCardContent>
    );
  } else {
    const series = pickSeries(value.forecastTypes);
    const data = buildChartData(value, series);
    content = (
      <>
        {loading && <Progress />}
        <ForecastChart data={data} series={series} height={props.height} />
        <Typography variant="caption" color="textSecondary">
          {value.actuals.length} actual values, then {value.forecast.length}{' '}
          forecast points
          {series.lower && series.upper
            ? `, band ${series.lower} to ${series.upper}`
            : ''}
          {series.median ? `, median ${series.median}` : ''}.
        </Typography>
      </>
    );
  }

  const dimensionNames = Object.keys(dimensionDraft);
  const pickers = value && value.items.length > 0 && (
    <Box
      display="flex"
      alignItems="flex-end"
      flexWrap="wrap"
      style={{ gap: 16 }}
      marginBottom={2}
    >
      <Box minWidth={220}>
        <Select
          label="Item"
          selected={value.item}
          items={value.items.map(item => ({ label: item, value: item }))}
          onChange={item => setQuery({ ...query, item: String(item) })}
        />
      </Box>
      {/* NOTE: the forecast route lists the items of the export but not the
          values of each dimension, so dimension values are typed in. */}
      {dimensionNames.map(name => (
        <TextField
          key={name}
          id={`forecast-dimension-${name}`}
          label={name}
          value={dimensionDraft[name]}
          onChange={event =>
            setDimensionDraft({ ...dimensionDraft, [name]: event.target.value })
          }
        />
      ))}
      {dimensionNames.length > 0 && (
        <Button
          variant="outlined"
          size="small"
          onClick={() => setQuery({ ...query, dimensions: dimensionDraft })}
        >
          Show
        </Button>
      )}
    </Box>
  );

  return (
    <InfoCard title="Forecast">
      {pickers}
      {content}
    </InfoCard>
  );
};
