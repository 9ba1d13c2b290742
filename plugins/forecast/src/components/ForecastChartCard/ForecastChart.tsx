import {
  Area,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useTheme } from '@material-ui/core/styles';
import type { ChartPoint, ChartSeries } from './chartData';

/**
 * Quantile band, median line and the recent actuals before them. The
 * initial size lets the chart render where the container has no layout,
 * such as in tests.
 */
export const ForecastChart = (props: {
  data: ChartPoint[];
  series: ChartSeries;
  height?: number;
}) => {
  const { data, series, height = 320 } = props;
  const theme = useTheme();
  const bandName =
    series.lower && series.upper
      ? `${series.lower} to ${series.upper}`
      : undefined;
  return (
    <ResponsiveContainer
      width="100%"
      height={height}
      initialDimension={{ width: 800, height }}
    >
      <ComposedChart data={data} margin={{ top: 8, right: 24, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="date" minTickGap={24} />
        <YAxis />
        <Tooltip />
        <Legend />
        {bandName && (
          <Area
            type="monotone"
            dataKey="band"
            name={bandName}
            stroke="none"
            fill={theme.palette.primary.light}
            fillOpacity={0.35}
            isAnimationActive={false}
          />
        )}
        {series.median && (
          <Line
            type="monotone"
            dataKey="median"
            name={series.median}
            stroke={theme.palette.primary.main}
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
        )}
        <Line
          type="monotone"
          dataKey="actual"
          name="actual"
          stroke={theme.palette.text.primary}
          dot={false}
          isAnimationActive={false}
        />
      </ComposedChart>
    </ResponsiveContainer>
  );
};
