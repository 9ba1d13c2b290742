import type { RequestContext } from '../../core/types';
import { listPage } from '../listing';
import { checkArn, checkEnum, checkName, invalidInput } from '../validation';
import {
  ForecastState,
  type Row,
  inUse,
  stripUndefined,
} from '../ForecastState';

/** Explainability resources (status only). */
export class ExplainabilityOperations {
  constructor(private readonly state: ForecastState) {}

  opCreateExplainability(input: Row, context: RequestContext) {
    const name = checkName('ExplainabilityName', input.ExplainabilityName);
    const resourceArn = checkArn('ResourceArn', input.ResourceArn);
    const kind = this.state.kindOf(resourceArn);
    if (kind !== 'predictors' && kind !== 'forecasts') {
      throw invalidInput(
        `ResourceArn ${resourceArn} must be a predictor or forecast ARN.`,
      );
    }
    const resource = this.state.get(kind, 'predictor or forecast', resourceArn);
    const config = input.ExplainabilityConfig as Row | undefined;
    checkEnum(
      'ExplainabilityConfig.TimeSeriesGranularity',
      config?.TimeSeriesGranularity,
      ['ALL', 'SPECIFIC'] as const,
    );
    checkEnum(
      'ExplainabilityConfig.TimePointGranularity',
      config?.TimePointGranularity,
      ['ALL', 'SPECIFIC'] as const,
    );
    const tags = this.state.tagsOf(input);

    const arn = this.state.arn(context, `explainability/${name}`);
    this.state.checkUnused('explainabilities', arn, 'explainability');
    if (resource.Status !== 'ACTIVE') {
      throw inUse(`${resourceArn} is ${resource.Status}; it must be ACTIVE.`);
    }

    this.state.create('explainabilities', {
      ExplainabilityArn: arn,
      ExplainabilityName: name,
      ResourceArn: resourceArn,
      ExplainabilityConfig: config,
      EnableVisualization: input.EnableVisualization ?? false,
      DataSource: input.DataSource,
      Schema: input.Schema,
      StartDateTime: input.StartDateTime,
      EndDateTime: input.EndDateTime,
      Status: 'CREATE_PENDING',
      Tags: tags,
    });
    // NOTE: the sandbox records explainability resources and their status
    // but computes no impact scores and exports none.

    this.state.startJob('explainabilities', arn, async () => undefined);

    return { ExplainabilityArn: arn };
  }

  opDescribeExplainability(input: Row) {
    const row = this.state.get(
      'explainabilities',
      'explainability',
      input.ExplainabilityArn,
    );
    const { Tags: _tags, ...rest } = row;
    return stripUndefined(rest);
  }

  opListExplainabilities(input: Row) {
    const page = listPage(
      this.state.tables.explainabilities.values(),
      input,
      { ResourceArn: row => row.ResourceArn, Status: row => row.Status },
      row => row.CreationTime,
    );
    return {
      Explainabilities: page.items.map(row =>
        stripUndefined({
          ExplainabilityArn: row.ExplainabilityArn,
          ExplainabilityName: row.ExplainabilityName,
          ResourceArn: row.ResourceArn,
          ExplainabilityConfig: row.ExplainabilityConfig,
          Status: row.Status,
          Message: row.Message,
          CreationTime: row.CreationTime,
          LastModificationTime: row.LastModificationTime,
        }),
      ),
      NextToken: page.nextToken,
    };
  }

  opDeleteExplainability(input: Row) {
    const row = this.state.get(
      'explainabilities',
      'explainability',
      input.ExplainabilityArn,
    );
    this.state.checkDeletable(row, row.ExplainabilityArn);
    this.state.deleteRow('explainabilities', row.ExplainabilityArn);
    return {};
  }
}
