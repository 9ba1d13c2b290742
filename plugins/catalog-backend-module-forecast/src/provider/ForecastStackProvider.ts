import { paginateDescribeStacks, Stack } from '@aws-sdk/client-cloudformation';
import type {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import type {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import type { AwsClientFactory } from '@forecast-pipelines/plugin-forecast-node';
import type { ForecastProviderTarget } from './readProviderConfig';
import {
  isSkippedStack,
  isUsableStackStatus,
  stackRole,
  stackToEntity,
} from './stackToEntity';

/** Options of {@link ForecastStackProvider}. */
export interface ForecastStackProviderOptions {
  target: ForecastProviderTarget;
  clientFactory: AwsClientFactory;
  logger: LoggerService;
  /** Runs the scheduled refresh; omit it to refresh only on request. */
  taskRunner?: SchedulerServiceTaskRunner;
  defaultOwner: string;
}

/**
 * Adds the Amazon Forecast stacks of one account and region to the catalog.
 * Each refresh lists every stack (DescribeStacks, paginated), keeps those
 * with a `forecast-pipelines:role` tag and replaces all of this provider's
 * entities with them, so a deleted stack's entity disappears.
 */
export class ForecastStackProvider implements EntityProvider {
  readonly #options: ForecastStackProviderOptions;
  readonly #logger: LoggerService;
  #connection?: EntityProviderConnection;
  #queue: Promise<void> = Promise.resolve();

  constructor(options: ForecastStackProviderOptions) {
    this.#options = options;
    this.#logger = options.logger.child({
      provider: this.getProviderName(),
    });
  }

  get target(): ForecastProviderTarget {
    return this.#options.target;
  }

  getProviderName(): string {
    const { accountId, region } = this.#options.target;
    return `forecast-stacks:${accountId || 'default'}:${region}`;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    if (!this.#options.taskRunner) {
      return;
    }
    await this.#options.taskRunner.run({
      id: `${this.getProviderName()}:refresh`,
      fn: async () => {
        try {
          await this.refresh();
        } catch (error) {
          // Logged in refresh; the next scheduled run tries again.
        }
      },
    });
  }

  /**
   * Lists the stacks and replaces this provider's entities. Calls are
   * queued, so a refresh requested by an event never overlaps a scheduled one.
   * Rejects when listing fails; the catalog then keeps the previous entities.
   */
  refresh(): Promise<void> {
    const run = this.#queue.then(() => this.refreshNow());
    this.#queue = run.catch(() => undefined);
    return run;
  }

  private async refreshNow(): Promise<void> {
    if (!this.#connection) {
      throw new Error(
        `${this.getProviderName()} is not connected to the catalog yet`,
      );
    }
    const startedAt = Date.now();
    let entities: DeferredEntity[];
    try {
      entities = await this.readEntities();
    } catch (error) {
      this.#logger.error(
        `Listing the stacks of account ${
          this.#options.target.accountId || '(default)'
        } in ${
          this.#options.target.region
        } failed; the catalog keeps the previous entities`,
        error as Error,
      );
      throw error;
    }
    await this.#connection.applyMutation({ type: 'full', entities });
    this.#logger.info(
      `Found ${entities.length} Forecast stacks in ${
        Date.now() - startedAt
      } ms`,
    );
  }

  /** Lists the tagged stacks and turns each into a catalog entity. */
  async readEntities(): Promise<DeferredEntity[]> {
    const { target, clientFactory, defaultOwner } = this.#options;
    const client = await clientFactory.cloudFormation(target);

    const stacks: Stack[] = [];
    for await (const page of paginateDescribeStacks({ client }, {})) {
      for (const stack of page.Stacks ?? []) {
        if (stackRole(stack) && isUsableStackStatus(stack.StackStatus)) {
          stacks.push(stack);
        }
      }
    }

    const entities: DeferredEntity[] = [];
    const seenRefs = new Map<string, string>();
    for (const stack of stacks) {
      const entity = stackToEntity(stack, {
        region: target.region,
        defaultOwner,
      });
      if (isSkippedStack(entity)) {
        this.#logger.warn(
          `Stack ${entity.stackName} is left out of the catalog: ${entity.reason}`,
        );
        continue;
      }
      const ref =
        `${entity.kind}:${entity.metadata.namespace}/${entity.metadata.name}`.toLowerCase();
      const earlier = seenRefs.get(ref);
      if (earlier) {
        this.#logger.warn(
          `Stack ${stack.StackName} is left out of the catalog: stack ${earlier} already provides ${ref}. Give each workload a unique name.`,
        );
        continue;
      }
      seenRefs.set(ref, stack.StackName ?? '');
      entities.push({ entity, locationKey: this.getProviderName() });
    }
    return entities;
  }
}
