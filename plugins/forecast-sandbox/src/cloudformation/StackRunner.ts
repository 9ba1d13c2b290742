import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { AwsServiceError } from '../core/errors';
import { analyseTemplate, orderResources } from './analysis';
import { evaluate } from './intrinsics';
import type { ProviderContext, ResourceProviders } from './providers/types';
import type { ResourceRecord, StackRecord } from './records';
import { type ExportReader, isIncluded, stackScope } from './scope';
import type { StackRecorder } from './StackRecorder';
import type { StackStore } from './StackStore';
import { parseTemplate, type Template } from './template';

/** A resource operation that failed; the stack rolls back. */
class ResourceFailure extends Error {
  constructor(readonly logicalId: string, message: string) {
    super(message);
  }
}

/** An entry of the update journal, undone in reverse order on rollback. */
type JournalEntry =
  | { kind: 'created'; logicalId: string }
  | { kind: 'updated'; logicalId: string; previous: ResourceRecord }
  | { kind: 'replaced'; logicalId: string; previous: ResourceRecord };

/** The state a stack had before an update, restored on rollback. */
export interface StackSnapshot {
  templateBody: string;
  parameters: StackRecord['parameters'];
  tags: StackRecord['tags'];
  outputs: StackRecord['outputs'];
  imports: string[];
  description?: string;
}

function handlerMessage(error: unknown): string {
  const code = (error as AwsServiceError).code;
  const message = (error as Error).message ?? String(error);
  return code
    ? `Resource handler returned message: "${message}" (HandlerErrorCode: ${code})`
    : message;
}

/**
 * Runs the long part of CreateStack, UpdateStack and DeleteStack after the
 * request has been accepted: resources in dependency order, stack events,
 * rollback on failure. Every step is saved before the next one starts.
 */
export class StackRunner {
  constructor(
    private readonly stacks: StackStore,
    private readonly recorder: StackRecorder,
    private readonly providers: ResourceProviders,
    private readonly readExport: ExportReader,
  ) {}

  /** Sets a stack's status with an event, for operations outside a run. */
  setStackStatus(stack: StackRecord, status: string, reason?: string): void {
    this.recorder.setStackStatus(stack, status, reason);
  }

  private context(stack: StackRecord, logicalId: string): ProviderContext {
    return {
      accountId: stack.accountId,
      region: stack.region,
      requestId: randomUUID(),
      stackName: stack.stackName,
      stackId: stack.stackId,
      logicalId,
      stackTags: stack.tags,
    };
  }

  /** Creates every resource; on failure rolls back, keeps the failure, or deletes as OnFailure requests. */
  async create(stack: StackRecord, template: Template): Promise<void> {
    this.recorder.setStackStatus(stack, 'CREATE_IN_PROGRESS', 'User Initiated');
    try {
      await this.deployResources(stack, template, []);
      this.recorder.setStackStatus(stack, 'CREATE_COMPLETE');
    } catch (error) {
      const reason =
        error instanceof ResourceFailure
          ? `The following resource(s) failed to create: [${error.logicalId}]. ${error.message}`
          : handlerMessage(error);
      if (stack.onFailure === 'DO_NOTHING') {
        this.recorder.setStackStatus(stack, 'CREATE_FAILED', reason);
        return;
      }
      this.recorder.setStackStatus(
        stack,
        'ROLLBACK_IN_PROGRESS',
        `${reason} Rollback requested by user.`,
      );
      const failed = await this.deleteResources(stack, template);
      if (failed.length > 0) {
        this.recorder.setStackStatus(
          stack,
          'ROLLBACK_FAILED',
          `The following resource(s) failed to delete: [${failed.join(
            ', ',
          )}]. Delete the stack to retry.`,
        );
        return;
      }
      this.recorder.setStackStatus(stack, 'ROLLBACK_COMPLETE');
      this.recorder.keepReason(stack, reason);
      if (stack.onFailure === 'DELETE') {
        await this.delete(stack);
      }
    }
  }

  /** Applies a new template and parameters; on failure puts the previous state back. */
  async update(
    stack: StackRecord,
    template: Template,
    previousTemplate: Template,
    snapshot: StackSnapshot,
  ): Promise<void> {
    this.recorder.setStackStatus(stack, 'UPDATE_IN_PROGRESS', 'User Initiated');
    const journal: JournalEntry[] = [];
    try {
      await this.deployResources(stack, template, journal);
      this.recorder.setStackStatus(
        stack,
        'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
      );
      await this.cleanUp(stack, template, previousTemplate, journal);
      this.recorder.setStackStatus(stack, 'UPDATE_COMPLETE');
    } catch (error) {
      const reason =
        error instanceof ResourceFailure
          ? `The following resource(s) failed to update: [${error.logicalId}]. ${error.message}`
          : handlerMessage(error);
      this.recorder.setStackStatus(
        stack,
        'UPDATE_ROLLBACK_IN_PROGRESS',
        reason,
      );
      try {
        Object.assign(stack, snapshot);
        await this.undo(stack, journal);
        this.recorder.setStackStatus(
          stack,
          'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
        );
        this.recorder.setStackStatus(stack, 'UPDATE_ROLLBACK_COMPLETE');
        this.recorder.keepReason(stack, reason);
      } catch (rollbackError) {
        this.recorder.setStackStatus(
          stack,
          'UPDATE_ROLLBACK_FAILED',
          `Rollback failed: ${handlerMessage(
            rollbackError,
          )}. Delete the stack to clean up.`,
        );
      }
    }
  }

  /** Deletes every resource, leaving those with DeletionPolicy Retain. */
  async delete(stack: StackRecord): Promise<void> {
    this.recorder.setStackStatus(stack, 'DELETE_IN_PROGRESS', 'User Initiated');
    let template: Template | undefined;
    try {
      template = parseTemplate(stack.templateBody);
    } catch {
      template = undefined;
    }
    const failed = await this.deleteResources(stack, template, true);
    if (failed.length > 0) {
      this.recorder.setStackStatus(
        stack,
        'DELETE_FAILED',
        `The following resource(s) failed to delete: [${failed.join(
          ', ',
        )}]. Fix the cause and delete the stack again.`,
      );
      return;
    }
    stack.deletionTime = Date.now();
    stack.outputs = [];
    stack.imports = [];
    this.recorder.setStackStatus(stack, 'DELETE_COMPLETE');
  }

  private async deployResources(
    stack: StackRecord,
    template: Template,
    journal: JournalEntry[] | undefined,
  ): Promise<void> {
    const dependencies = analyseTemplate(template, this.providers);
    const imported = new Set<string>();
    const scope = stackScope(stack, template, this.readExport, imported);
    const included = Object.keys(template.Resources).filter(id =>
      isIncluded(template, id, scope),
    );

    for (const logicalId of orderResources(included, dependencies)) {
      // Lets the server serve other requests between resources.
      await new Promise(resolve => setImmediate(resolve));
      const declaration = template.Resources[logicalId];
      const provider = this.providers[declaration.Type];
      const existing = stack.resources[logicalId];
      const live =
        existing?.physicalId !== undefined &&
        !existing.status.startsWith('DELETE');

      let properties: Record<string, unknown>;
      try {
        properties = evaluate(declaration.Properties ?? {}, scope) as Record<
          string,
          unknown
        >;
      } catch (error) {
        if (live) {
          journal?.push({
            kind: 'updated',
            logicalId,
            previous: structuredClone(existing),
          });
        }
        const failed: ResourceRecord = existing ?? {
          logicalId,
          type: declaration.Type,
          status: 'CREATE_FAILED',
          timestamp: Date.now(),
          properties: {},
          attributes: {},
        };
        this.recorder.setResourceStatus(
          stack,
          failed,
          live ? 'UPDATE_FAILED' : 'CREATE_FAILED',
          handlerMessage(error),
        );
        throw new ResourceFailure(logicalId, handlerMessage(error));
      }

      if (
        live &&
        existing.type === declaration.Type &&
        isDeepStrictEqual(properties, existing.properties) &&
        !existing.status.endsWith('FAILED')
      ) {
        existing.deletionPolicy = declaration.DeletionPolicy;
        existing.updateReplacePolicy = declaration.UpdateReplacePolicy;
        continue;
      }
      // A new type, like a changed name, needs a new physical resource.
      const replace =
        live &&
        (existing.type !== declaration.Type ||
          !provider.update ||
          provider.replacementProperties.some(
            name =>
              !isDeepStrictEqual(properties[name], existing.properties[name]),
          ));
      const context = this.context(stack, logicalId);

      if (live && !replace) {
        journal?.push({
          kind: 'updated',
          logicalId,
          previous: structuredClone(existing),
        });
        const resource: ResourceRecord = {
          ...existing,
          properties,
          deletionPolicy: declaration.DeletionPolicy,
          updateReplacePolicy: declaration.UpdateReplacePolicy,
        };
        this.recorder.setResourceStatus(
          stack,
          resource,
          'UPDATE_IN_PROGRESS',
          undefined,
          true,
        );
        try {
          const state = await provider.update!(
            {
              physicalId: existing.physicalId!,
              attributes: existing.attributes,
            },
            properties,
            existing.properties,
            context,
          );
          resource.physicalId = state.physicalId;
          resource.attributes = state.attributes;
          this.recorder.setResourceStatus(stack, resource, 'UPDATE_COMPLETE');
        } catch (error) {
          this.recorder.setResourceStatus(
            stack,
            resource,
            'UPDATE_FAILED',
            handlerMessage(error),
          );
          throw new ResourceFailure(logicalId, handlerMessage(error));
        }
        continue;
      }

      journal?.push(
        live
          ? { kind: 'replaced', logicalId, previous: structuredClone(existing) }
          : { kind: 'created', logicalId },
      );
      const resource: ResourceRecord = {
        logicalId,
        type: declaration.Type,
        status: 'CREATE_IN_PROGRESS',
        timestamp: Date.now(),
        properties,
        attributes: {},
        deletionPolicy: declaration.DeletionPolicy,
        updateReplacePolicy: declaration.UpdateReplacePolicy,
      };
      const inProgress = live ? 'UPDATE_IN_PROGRESS' : 'CREATE_IN_PROGRESS';
      this.recorder.setResourceStatus(
        stack,
        resource,
        inProgress,
        live
          ? 'Requested update requires the creation of a new physical resource; hence creating one.'
          : undefined,
        true,
      );
      try {
        const state = await provider.create(properties, context);
        resource.physicalId = state.physicalId;
        resource.attributes = state.attributes;
        this.recorder.setResourceStatus(
          stack,
          resource,
          live ? 'UPDATE_COMPLETE' : 'CREATE_COMPLETE',
        );
      } catch (error) {
        this.recorder.setResourceStatus(
          stack,
          resource,
          live ? 'UPDATE_FAILED' : 'CREATE_FAILED',
          handlerMessage(error),
        );
        throw new ResourceFailure(logicalId, handlerMessage(error));
      }
    }

    this.resolveOutputs(stack, template, scope);
    stack.imports = [...imported];
    this.stacks.set(stack.stackId, stack);
  }

  private resolveOutputs(
    stack: StackRecord,
    template: Template,
    scope: ReturnType<typeof stackScope>,
  ): void {
    const outputs: StackRecord['outputs'] = [];
    for (const [key, output] of Object.entries(template.Outputs ?? {})) {
      if (
        output.Condition !== undefined &&
        !scope.conditions[output.Condition]
      ) {
        continue;
      }
      const value = evaluate(output.Value, scope);
      const exportName = output.Export
        ? String(evaluate(output.Export.Name, scope))
        : undefined;
      if (exportName) {
        const owner = this.stacks
          .values()
          .find(
            other =>
              other.stackId !== stack.stackId &&
              other.status !== 'DELETE_COMPLETE' &&
              other.outputs.some(o => o.ExportName === exportName),
          );
        if (owner) {
          throw new ResourceFailure(
            key,
            `Export with name ${exportName} is already exported by stack ${owner.stackName}. Export names must be unique in a region.`,
          );
        }
      }
      outputs.push({
        OutputKey: key,
        OutputValue: Array.isArray(value) ? value.join(',') : String(value),
        Description: output.Description,
        ExportName: exportName,
      });
    }
    this.checkImportedExports(stack, outputs);
    stack.outputs = outputs;
  }

  /**
   * Raises when an update would drop or change an export that another stack
   * imports, which CloudFormation does not allow.
   */
  private checkImportedExports(
    stack: StackRecord,
    outputs: StackRecord['outputs'],
  ): void {
    for (const previous of stack.outputs) {
      if (!previous.ExportName) continue;
      const importer = this.stacks
        .values()
        .find(
          other =>
            other.stackId !== stack.stackId &&
            other.status !== 'DELETE_COMPLETE' &&
            other.imports.includes(previous.ExportName!),
        );
      const next = outputs.find(o => o.ExportName === previous.ExportName);
      if (importer && next?.OutputValue !== previous.OutputValue) {
        throw new ResourceFailure(
          previous.OutputKey,
          `Cannot ${next ? 'update' : 'delete'} export ${
            previous.ExportName
          } as it is in use by ${importer.stackName}. Update or delete ${
            importer.stackName
          } first.`,
        );
      }
    }
  }

  private async cleanUp(
    stack: StackRecord,
    template: Template,
    previousTemplate: Template,
    journal: JournalEntry[],
  ): Promise<void> {
    const replaced = journal.filter(e => e.kind === 'replaced') as Extract<
      JournalEntry,
      { kind: 'replaced' }
    >[];
    for (const entry of replaced.reverse()) {
      await this.deleteOne(
        stack,
        entry.previous,
        entry.previous.updateReplacePolicy === 'Retain',
        false,
      ).catch(() => undefined);
    }

    const scope = stackScope(stack, template, this.readExport);
    const kept = new Set(
      Object.keys(template.Resources).filter(id =>
        isIncluded(template, id, scope),
      ),
    );
    const removed = Object.keys(stack.resources).filter(id => !kept.has(id));
    let order = removed;
    try {
      order = orderResources(
        removed,
        analyseTemplate(previousTemplate, this.providers),
      ).reverse();
    } catch {
      // The previous template no longer parses; delete in the stored order.
    }
    for (const logicalId of order) {
      const resource = stack.resources[logicalId];
      const deleted = await this.deleteOne(
        stack,
        resource,
        resource.deletionPolicy === 'Retain',
      ).then(
        () => true,
        () => false,
      );
      if (deleted) {
        delete stack.resources[logicalId];
      }
    }
    this.stacks.set(stack.stackId, stack);
  }

  private async undo(
    stack: StackRecord,
    journal: JournalEntry[],
  ): Promise<void> {
    for (const entry of [...journal].reverse()) {
      const current = stack.resources[entry.logicalId];
      if (entry.kind === 'created') {
        if (current?.physicalId) await this.deleteOne(stack, current, false);
        delete stack.resources[entry.logicalId];
      } else if (entry.kind === 'replaced') {
        if (
          current?.physicalId &&
          current.physicalId !== entry.previous.physicalId
        ) {
          await this.deleteOne(stack, current, false);
        }
        stack.resources[entry.logicalId] = entry.previous;
      } else {
        const provider = this.providers[entry.previous.type];
        const resource = { ...entry.previous };
        this.recorder.setResourceStatus(stack, resource, 'UPDATE_IN_PROGRESS');
        if (current?.status !== 'UPDATE_FAILED') {
          await provider.update!(
            { physicalId: current.physicalId!, attributes: current.attributes },
            entry.previous.properties,
            current.properties,
            this.context(stack, entry.logicalId),
          );
        }
        this.recorder.setResourceStatus(stack, resource, 'UPDATE_COMPLETE');
      }
    }
    this.stacks.set(stack.stackId, stack);
  }

  /**
   * Deletes the stack's resources in reverse dependency order and returns the
   * logical ids that failed. `honourRetain` keeps DeletionPolicy Retain resources.
   */
  private async deleteResources(
    stack: StackRecord,
    template: Template | undefined,
    honourRetain = false,
  ): Promise<string[]> {
    const ids = Object.keys(stack.resources);
    let order = [...ids].sort(
      (a, b) => stack.resources[b].timestamp - stack.resources[a].timestamp,
    );
    if (template) {
      try {
        order = orderResources(
          ids.filter(id => id in template.Resources),
          analyseTemplate(template, this.providers),
        ).reverse();
        order.push(...ids.filter(id => !(id in template.Resources)));
      } catch {
        // Keep the newest-first order.
      }
    }

    const failed: string[] = [];
    for (const logicalId of order) {
      const resource = stack.resources[logicalId];
      if (
        !resource.physicalId ||
        resource.status === 'DELETE_COMPLETE' ||
        resource.status === 'DELETE_SKIPPED'
      ) {
        if (!resource.physicalId && !resource.status.startsWith('DELETE')) {
          this.recorder.setResourceStatus(stack, resource, 'DELETE_COMPLETE');
        }
        continue;
      }
      try {
        await this.deleteOne(
          stack,
          resource,
          honourRetain && resource.deletionPolicy === 'Retain',
        );
      } catch {
        failed.push(logicalId);
      }
    }
    return failed;
  }

  private async deleteOne(
    stack: StackRecord,
    resource: ResourceRecord,
    /** Keeps the physical resource (DELETE_SKIPPED) instead of deleting it. */
    retain: boolean,
    attach = true,
  ): Promise<void> {
    if (retain) {
      this.recorder.setResourceStatus(
        stack,
        { ...resource },
        'DELETE_SKIPPED',
        undefined,
        false,
        attach,
      );
      return;
    }
    const target = { ...resource };
    this.recorder.setResourceStatus(
      stack,
      target,
      'DELETE_IN_PROGRESS',
      undefined,
      false,
      attach,
    );
    try {
      await this.providers[resource.type].delete(
        { physicalId: resource.physicalId!, attributes: resource.attributes },
        resource.properties,
        this.context(stack, resource.logicalId),
      );
      this.recorder.setResourceStatus(
        stack,
        target,
        'DELETE_COMPLETE',
        undefined,
        false,
        attach,
      );
    } catch (error) {
      this.recorder.setResourceStatus(
        stack,
        target,
        'DELETE_FAILED',
        handlerMessage(error),
        false,
        attach,
      );
      throw error;
    }
  }
}
