import { AwsServiceError } from '../../core/errors';
import { checkTags, invalidInput, type Tag } from '../validation';
import { ForecastState, type Row, RUNNING, inUse } from '../ForecastState';

/** Tags and DeleteResourceTree, for every resource type. */
export class ResourceOperations {
  constructor(private readonly state: ForecastState) {}

  opTagResource(input: Row) {
    const { kind, row } = this.state.resourceOf(input.ResourceArn);
    const added = checkTags(input.Tags);
    const merged = new Map<string, string>(
      (row.Tags as Tag[]).map(tag => [tag.Key, tag.Value]),
    );
    for (const tag of added) {
      merged.set(tag.Key, tag.Value);
    }
    if (merged.size > 50) {
      throw new AwsServiceError(
        'LimitExceededException',
        `A resource can have at most 50 tags; this request would give it ${merged.size}.`,
      );
    }
    this.state.tables[kind].update(input.ResourceArn, r => ({
      ...r,
      Tags: [...merged].map(([Key, Value]) => ({ Key, Value })),
    }));
    return {};
  }

  opUntagResource(input: Row) {
    const { kind } = this.state.resourceOf(input.ResourceArn);
    if (!Array.isArray(input.TagKeys)) {
      throw invalidInput('TagKeys must be a list of tag keys.');
    }
    this.state.tables[kind].update(input.ResourceArn, r => ({
      ...r,
      Tags: (r.Tags as Tag[]).filter(tag => !input.TagKeys.includes(tag.Key)),
    }));
    return {};
  }

  opListTagsForResource(input: Row) {
    const { row } = this.state.resourceOf(input.ResourceArn);
    return { Tags: row.Tags ?? [] };
  }

  opDeleteResourceTree(input: Row) {
    const { kind, row } = this.state.resourceOf(input.ResourceArn);

    const arn = input.ResourceArn as string;
    const tree =
      kind === 'datasets'
        ? this.state.importJobsOf(arn).map(job => job.DatasetImportJobArn)
        : this.state.childrenOf(arn);
    const rows = [...tree, arn].map(member => {
      const memberKind = this.state.kindOf(member)!;
      return {
        kind: memberKind,
        arn: member,
        row: this.state.tables[memberKind].get(member)!,
      };
    });
    const busy = rows.find(member => RUNNING.includes(member.row.Status));
    if (busy) {
      throw inUse(
        `${busy.arn} is ${busy.row.Status}; a resource tree can be deleted once every member is ACTIVE or CREATE_FAILED.`,
      );
    }
    for (const member of rows) {
      if (member.kind === 'datasets') {
        this.state.deleteDatasetRow(member.arn);
      } else {
        this.state.deleteRow(member.kind, member.arn);
      }
    }
    this.state.logger.info(
      `Deleted resource tree of ${arn} (${rows.length} resources, ${row.Status})`,
    );
    return {};
  }
}
