import type { RequestContext } from '../../core/types';
import { parseFrequency } from '../../engine/frequency';
import {
  ATTRIBUTE_TYPES,
  DATASET_TYPES,
  DOMAINS,
  DOMAIN_FIELDS,
  type Domain,
} from '../domains';
import type { SchemaAttribute } from '../importParser';
import { listPage } from '../listing';
import { checkEnum, checkName, invalidInput } from '../validation';
import {
  ForecastState,
  type Row,
  inUse,
  stripUndefined,
} from '../ForecastState';

/**
 * Maximum attributes per dataset type (Amazon Forecast quotas): 13 for a
 * target time series (3 plus 10 dimensions), 25 for a related time series,
 * 10 for item metadata.
 */
const MAX_ATTRIBUTES: Record<string, number> = {
  TARGET_TIME_SERIES: 13,
  RELATED_TIME_SERIES: 25,
  ITEM_METADATA: 10,
};

/** CreateDataset and the other dataset operations, with schema checks per domain. */
export class DatasetOperations {
  constructor(private readonly state: ForecastState) {}

  opCreateDataset(input: Row, context: RequestContext) {
    const name = checkName('DatasetName', input.DatasetName);
    const domain = checkEnum('Domain', input.Domain, DOMAINS);
    const type = checkEnum('DatasetType', input.DatasetType, DATASET_TYPES);
    const tags = this.state.tagsOf(input);
    const attributes = this.checkSchema(input.Schema, domain, type);
    let frequency: string | undefined;
    if (input.DataFrequency !== undefined) {
      if (!parseFrequency(String(input.DataFrequency))) {
        throw invalidInput(
          `Invalid DataFrequency ${JSON.stringify(
            input.DataFrequency,
          )}: use Y, M, W, D, H or min with an optional multiple, such as 1min, 15min, 2H or 3M.`,
        );
      }
      frequency = String(input.DataFrequency);
    } else if (type === 'RELATED_TIME_SERIES') {
      throw invalidInput(
        'DataFrequency is required for a RELATED_TIME_SERIES dataset.',
      );
    }

    const arn = this.state.arn(context, `dataset/${name}`);
    this.state.checkUnused('datasets', arn, 'dataset');
    this.state.checkQuota('datasets', context);

    this.state.create('datasets', {
      DatasetName: name,
      DatasetArn: arn,
      Domain: domain,
      DatasetType: type,
      DataFrequency: frequency,
      Schema: { Attributes: attributes },
      EncryptionConfig: input.EncryptionConfig,
      Status: 'ACTIVE',
      Tags: tags,
    });
    this.state.logger.info(`Created dataset ${arn}`);

    return { DatasetArn: arn };
  }

  private checkSchema(
    schema: unknown,
    domain: Domain,
    type: (typeof DATASET_TYPES)[number],
  ): SchemaAttribute[] {
    const attributes = (schema as { Attributes?: unknown } | undefined)
      ?.Attributes;
    if (!Array.isArray(attributes) || attributes.length === 0) {
      throw invalidInput('Schema.Attributes must list at least one attribute.');
    }
    const limit = MAX_ATTRIBUTES[type];
    if (attributes.length > limit) {
      throw invalidInput(
        `A ${type} schema can have at most ${limit} attributes; this one has ${attributes.length}.`,
      );
    }
    const names = new Set<string>();
    const checked = attributes.map((attribute: Row) => {
      const name = checkName('AttributeName', attribute?.AttributeName);
      checkEnum(
        `AttributeType of ${name}`,
        attribute.AttributeType,
        ATTRIBUTE_TYPES,
      );
      if (names.has(name)) {
        throw invalidInput(`Schema lists attribute ${name} twice.`);
      }
      names.add(name);
      return { AttributeName: name, AttributeType: attribute.AttributeType };
    });
    const { identifier, target } = DOMAIN_FIELDS[domain];
    const required: [string, string[]][] = [[identifier, ['string']]];
    if (type !== 'ITEM_METADATA') {
      required.push(['timestamp', ['timestamp']]);
    }
    if (type === 'TARGET_TIME_SERIES') {
      required.push([target, ['float', 'integer']]);
    }
    for (const [name, types] of required) {
      const attribute = checked.find(a => a.AttributeName === name);
      if (!attribute) {
        throw invalidInput(
          `The ${type} schema of domain ${domain} must include the attribute ${name} (${types.join(
            ' or ',
          )}).`,
        );
      }
      if (!types.includes(attribute.AttributeType)) {
        throw invalidInput(
          `Attribute ${name} must have type ${types.join(' or ')}, not ${
            attribute.AttributeType
          }.`,
        );
      }
    }
    return checked;
  }

  opDescribeDataset(input: Row) {
    const row = this.state.get('datasets', 'dataset', input.DatasetArn);
    const { Tags: _tags, ...rest } = row;
    return stripUndefined(rest);
  }

  opListDatasets(input: Row) {
    const page = listPage(
      this.state.tables.datasets.values(),
      input,
      {},
      row => row.CreationTime,
    );
    return {
      Datasets: page.items.map(row => ({
        DatasetArn: row.DatasetArn,
        DatasetName: row.DatasetName,
        DatasetType: row.DatasetType,
        Domain: row.Domain,
        CreationTime: row.CreationTime,
        LastModificationTime: row.LastModificationTime,
      })),
      NextToken: page.nextToken,
    };
  }

  opDeleteDataset(input: Row) {
    const dataset = this.state.get('datasets', 'dataset', input.DatasetArn);
    const jobs = this.state.importJobsOf(dataset.DatasetArn);
    if (jobs.length > 0) {
      throw inUse(
        `Dataset ${dataset.DatasetArn} still has ${jobs.length} import jobs. Delete them first, or call DeleteResourceTree.`,
      );
    }
    this.state.deleteDatasetRow(dataset.DatasetArn);
    return {};
  }
}
