import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import GetAppIcon from '@material-ui/icons/GetApp';
import {
  InfoCard,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import type {
  ExportFile,
  ForecastExport,
} from '@forecast-pipelines/plugin-forecast-common';
import useAsyncRetry from 'react-use/lib/useAsyncRetry';
import { forecastApiRef } from '../../api';
import { useEntityRef } from '../../hooks';
import { formatBytes, formatDateTime } from '../../lib/format';
import { saveBlob } from '../../lib/saveBlob';
import { EmptyCardContent, ErrorWithRetry } from '../CardStates';
import type { RefreshProps } from '../ForecastOverviewCard';

const DownloadButton = ({ file }: { file: ExportFile }) => {
  const forecastApi = useApi(forecastApiRef);
  const alertApi = useApi(alertApiRef);
  const { entityRef } = useEntityRef();
  const [downloading, setDownloading] = useState(false);

  const download = async () => {
    setDownloading(true);
    try {
      const blob = await forecastApi.downloadExportFile(entityRef, file.key);
      saveBlob(blob, file.name);
    } catch (error) {
      alertApi.post({
        message: `Download of ${file.name} failed: ${(error as Error).message}`,
        severity: 'error',
      });
    } finally {
      setDownloading(false);
    }
  };

  return (
    <Button
      size="small"
      startIcon={<GetAppIcon />}
      onClick={download}
      disabled={downloading}
      aria-label={`Download ${file.name}`}
    >
      {downloading ? 'Downloading…' : 'Download'}
    </Button>
  );
};

const fileColumns: TableColumn<ExportFile>[] = [
  { title: 'File', field: 'name' },
  { title: 'Size', render: row => formatBytes(row.size) },
  { title: 'Modified', render: row => formatDateTime(row.lastModified) },
  { title: '', align: 'right', render: row => <DownloadButton file={row} /> },
];

const ExportJob = ({ job }: { job: ForecastExport }) => (
  <Box marginBottom={3}>
    <Typography variant="subtitle1">{job.name}</Typography>
    <Typography variant="body2" color="textSecondary">
      {job.status} · created {formatDateTime(job.creationTime)} ·{' '}
      <code>{job.destination}</code>
    </Typography>
    {job.message && (
      <Typography variant="body2" color="error">
        {job.message}
      </Typography>
    )}
    {job.files.length === 0 ? (
      <Typography variant="body2" color="textSecondary">
        No files under the destination yet. Files appear when the export job is
        ACTIVE.
      </Typography>
    ) : (
      <Table<ExportFile>
        columns={fileColumns}
        data={job.files}
        options={{
          paging: false,
          search: false,
          toolbar: false,
          padding: 'dense',
        }}
      />
    )}
  </Box>
);

/** Forecast export jobs of the workload with their files in S3. */
export const ExportsCard = (props: RefreshProps) => {
  const forecastApi = useApi(forecastApiRef);
  const { entityRef } = useEntityRef();
  const { value, loading, error, retry } = useAsyncRetry(
    () => forecastApi.getExports(entityRef),
    [forecastApi, entityRef, props.refreshKey],
  );

  let content;
  if (loading) {
    content = <Progress />;
  } else if (error) {
    content = <ErrorWithRetry error={error} onRetry={retry} />;
  } else if (!value || value.exports.length === 0) {
    content = (
      <EmptyCardContent title="No forecast exports yet">
        The create-forecast pipeline exports each new forecast to S3. Rerun the
        end-to-end workflow to train a predictor and export a forecast.
      </EmptyCardContent>
    );
  } else {
    content = value.exports.map(job => (
      <ExportJob key={job.exportJobArn} job={job} />
    ));
  }

  return <InfoCard title="Forecast exports">{content}</InfoCard>;
};
