import type { RequestContext } from '../../core/types';
import { readArraysFile } from '../contentFiles';
import { backtestExportCsv, joinKey, partFileName } from '../exportFiles';
import { listPage } from '../listing';
import type { PredictorModelHeader } from '../training';
import {
  checkFormat,
  checkName,
  checkS3Config,
  parseS3Path,
} from '../validation';
import {
  ForecastState,
  type Row,
  inUse,
  stripUndefined,
} from '../ForecastState';

/** Predictor backtest export jobs: forecasted-values/ and accuracy-metrics-values/ files in S3. */
export class BacktestExportOperations {
  constructor(private readonly state: ForecastState) {}

  opCreatePredictorBacktestExportJob(input: Row, context: RequestContext) {
    const name = checkName(
      'PredictorBacktestExportJobName',
      input.PredictorBacktestExportJobName,
    );
    const predictor = this.state.get(
      'predictors',
      'predictor',
      input.PredictorArn,
    );
    const destination = checkS3Config('Destination', input.Destination);
    const format = checkFormat(input.Format);
    const tags = this.state.tagsOf(input);

    const arn = this.state.arn(
      context,
      `predictor-backtest-export-job/${predictor.PredictorName}/${name}`,
    );
    this.state.checkUnused(
      'backtestExports',
      arn,
      'predictor backtest export job',
    );
    if (predictor.Status !== 'ACTIVE') {
      throw inUse(
        `Predictor ${predictor.PredictorArn} is ${predictor.Status}; export its backtest once it is ACTIVE.`,
      );
    }
    this.state.checkQuota('backtestExports', context);

    this.state.create('backtestExports', {
      PredictorBacktestExportJobArn: arn,
      PredictorBacktestExportJobName: name,
      PredictorArn: predictor.PredictorArn,
      Destination: input.Destination,
      Format: format,
      Status: 'CREATE_PENDING',
      Tags: tags,
    });

    this.state.startJob('backtestExports', arn, async () => {
      const { bucket, key } = parseS3Path('Path', destination.Path);
      const model = readArraysFile<PredictorModelHeader>(
        this.state.modelFile('predictors', predictor.PredictorArn),
      );
      const files = backtestExportCsv({
        identifier: predictor._identifier,
        dimensions: predictor.ForecastDimensions,
        model: model.header,
        arrays: model.arrays,
      });
      const created = this.state.tables.backtestExports.get(arn)!.CreationTime;
      const fileName = partFileName(name, created);
      await this.state.putExport(
        bucket,
        joinKey(key, `forecasted-values/${fileName}`),
        files.forecastedValues,
      );
      await this.state.putExport(
        bucket,
        joinKey(key, `accuracy-metrics-values/${fileName}`),
        files.accuracyMetrics,
      );
    });

    return { PredictorBacktestExportJobArn: arn };
  }

  opDescribePredictorBacktestExportJob(input: Row) {
    const row = this.state.get(
      'backtestExports',
      'predictor backtest export job',
      input.PredictorBacktestExportJobArn,
    );
    const { Tags: _tags, ...rest } = row;
    return stripUndefined(rest);
  }

  opListPredictorBacktestExportJobs(input: Row) {
    const page = listPage(
      this.state.tables.backtestExports.values(),
      input,
      { PredictorArn: row => row.PredictorArn, Status: row => row.Status },
      row => row.CreationTime,
    );
    return {
      PredictorBacktestExportJobs: page.items.map(row =>
        stripUndefined({
          PredictorBacktestExportJobArn: row.PredictorBacktestExportJobArn,
          PredictorBacktestExportJobName: row.PredictorBacktestExportJobName,
          Destination: row.Destination,
          Status: row.Status,
          Message: row.Message,
          CreationTime: row.CreationTime,
          LastModificationTime: row.LastModificationTime,
        }),
      ),
      NextToken: page.nextToken,
    };
  }

  opDeletePredictorBacktestExportJob(input: Row) {
    const row = this.state.get(
      'backtestExports',
      'predictor backtest export job',
      input.PredictorBacktestExportJobArn,
    );
    this.state.checkDeletable(row, row.PredictorBacktestExportJobArn);
    this.state.deleteRow('backtestExports', row.PredictorBacktestExportJobArn);
    return {};
  }
}
