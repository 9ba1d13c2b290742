import type { RequestContext } from '../../core/types';
import { DOMAINS, type Domain } from '../domains';
import { listPage } from '../listing';
import { checkEnum, checkName, invalidInput } from '../validation';
import {
  ForecastState,
  type Row,
  inUse,
  stripUndefined,
} from '../ForecastState';

/** CreateDatasetGroup and the other dataset group operations. */
export class DatasetGroupOperations {
  constructor(private readonly state: ForecastState) {}

  opCreateDatasetGroup(input: Row, context: RequestContext) {
    const name = checkName('DatasetGroupName', input.DatasetGroupName);
    const domain = checkEnum('Domain', input.Domain, DOMAINS);
    const tags = this.state.tagsOf(input);

    const arn = this.state.arn(context, `dataset-group/${name}`);
    this.state.checkUnused('datasetGroups', arn, 'dataset group');
    this.state.checkQuota('datasetGroups', context);
    const datasetArns = this.checkGroupDatasets(input.DatasetArns, domain);

    this.state.create('datasetGroups', {
      DatasetGroupName: name,
      DatasetGroupArn: arn,
      Domain: domain,
      DatasetArns: datasetArns,
      Status: 'ACTIVE',
      Tags: tags,
    });
    this.state.logger.info(`Created dataset group ${arn}`);

    return { DatasetGroupArn: arn };
  }

  private checkGroupDatasets(value: unknown, domain: Domain): string[] {
    if (value === undefined) {
      return [];
    }
    if (!Array.isArray(value)) {
      throw invalidInput('DatasetArns must be a list of dataset ARNs.');
    }
    const types = new Set<string>();
    for (const arn of value) {
      const dataset = this.state.get('datasets', 'dataset', arn);
      if (dataset.Domain !== domain) {
        throw invalidInput(
          `Dataset ${arn} has domain ${dataset.Domain} but the dataset group has domain ${domain}; both must have the same domain.`,
        );
      }
      if (types.has(dataset.DatasetType)) {
        throw invalidInput(
          `DatasetArns contains two datasets of type ${dataset.DatasetType}; a dataset group contains at most one dataset of each type.`,
        );
      }
      types.add(dataset.DatasetType);
    }
    return value as string[];
  }

  opUpdateDatasetGroup(input: Row) {
    const group = this.state.get(
      'datasetGroups',
      'dataset group',
      input.DatasetGroupArn,
    );
    const datasetArns = this.checkGroupDatasets(
      input.DatasetArns ?? [],
      group.Domain,
    );
    this.state.setStatus('datasetGroups', group.DatasetGroupArn, {
      DatasetArns: datasetArns,
    });
    return {};
  }

  opDescribeDatasetGroup(input: Row) {
    const row = this.state.get(
      'datasetGroups',
      'dataset group',
      input.DatasetGroupArn,
    );
    const { Tags: _tags, ...rest } = row;
    return stripUndefined(rest);
  }

  opListDatasetGroups(input: Row) {
    const page = listPage(
      this.state.tables.datasetGroups.values(),
      input,
      {},
      row => row.CreationTime,
    );
    return {
      DatasetGroups: page.items.map(row => ({
        DatasetGroupArn: row.DatasetGroupArn,
        DatasetGroupName: row.DatasetGroupName,
        CreationTime: row.CreationTime,
        LastModificationTime: row.LastModificationTime,
      })),
      NextToken: page.nextToken,
    };
  }

  opDeleteDatasetGroup(input: Row) {
    const group = this.state.get(
      'datasetGroups',
      'dataset group',
      input.DatasetGroupArn,
    );
    const children = this.state.childrenOf(group.DatasetGroupArn);
    if (children.length > 0) {
      throw inUse(
        `Dataset group ${group.DatasetGroupArn} still has ${children.length} predictors, forecasts or exports (for example ${children[0]}). Delete them first, or call DeleteResourceTree.`,
      );
    }
    this.state.tables.datasetGroups.delete(group.DatasetGroupArn);
    this.state.logger.info(`Deleted dataset group ${group.DatasetGroupArn}`);
    return {};
  }
}
