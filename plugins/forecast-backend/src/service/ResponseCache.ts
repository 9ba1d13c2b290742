import type {
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { JsonValue } from '@backstage/types';
import { isThrottlingError } from './awsErrors';

/** Time limits of {@link ResponseCache}, in milliseconds. */
export interface ResponseCacheOptions {
  /** How long a stored answer is served without asking AWS again. */
  freshForMs: number;
  /** How long a stored answer is kept to serve when AWS throttles. */
  keepForMs: number;
}

type StoredEntry = {
  value: JsonValue;
  storedAt: number;
  generation: number;
};

/** A cached value, with `stale` set when it was served because AWS throttled. */
export interface CachedValue<T> {
  value: T;
  stale: boolean;
}

/**
 * Caches AWS list results briefly in the Backstage cache service, so page
 * views do not repeat AWS calls. Each key belongs to a group (one per stack);
 * {@link ResponseCache.invalidate} makes every entry of a group old at once,
 * while keeping it for throttling fallback. Concurrent loads of one key share
 * a single AWS call.
 */
export class ResponseCache {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly cache: CacheService,
    private readonly logger: LoggerService,
    private readonly options: ResponseCacheOptions,
  ) {}

  /**
   * Returns the stored value of `key` while it is fresh; otherwise runs
   * `load` and stores its result. When `load` fails because AWS throttles
   * and an older value is stored, returns that value with `stale: true`.
   * Values for which `shouldStore` returns false are returned but not kept.
   */
  async getOrLoad<T>(
    group: string,
    key: string,
    load: () => Promise<T>,
    shouldStore: (value: T) => boolean = () => true,
  ): Promise<CachedValue<T>> {
    const entryKey = `entry:${group}:${key}`;
    const [entry, generation] = await Promise.all([
      this.cache.get<StoredEntry>(entryKey),
      this.generation(group),
    ]);

    const now = Date.now();
    if (
      entry &&
      entry.generation === generation &&
      now - entry.storedAt < this.options.freshForMs
    ) {
      return { value: entry.value as unknown as T, stale: false };
    }

    const flightKey = `${entryKey}:${generation}`;
    let pending = this.inFlight.get(flightKey) as Promise<T> | undefined;
    if (!pending) {
      pending = this.loadAndStore(entryKey, generation, load, shouldStore);
      this.inFlight.set(flightKey, pending as Promise<unknown>);
      pending
        .finally(() => this.inFlight.delete(flightKey))
        .catch(() => undefined);
    }

    try {
      return { value: await pending, stale: false };
    } catch (error) {
      if (entry && isThrottlingError(error)) {
        this.logger.warn(
          `AWS throttled the request for ${key}; serving the answer stored ${Math.round(
            (now - entry.storedAt) / 1000,
          )} s ago`,
        );
        return { value: entry.value as unknown as T, stale: true };
      }
      throw error;
    }
  }

  /** Marks every entry of a group as out of date, for example after a rerun. */
  async invalidate(group: string): Promise<void> {
    await this.cache.set(`generation:${group}`, Date.now(), {
      ttl: this.options.keepForMs * 2,
    });
  }

  private async generation(group: string): Promise<number> {
    return (await this.cache.get<number>(`generation:${group}`)) ?? 0;
  }

  private async loadAndStore<T>(
    entryKey: string,
    generation: number,
    load: () => Promise<T>,
    shouldStore: (value: T) => boolean,
  ): Promise<T> {
    const value = await load();
    if (!shouldStore(value)) {
      return value;
    }
    const entry: StoredEntry = {
      value: value as unknown as JsonValue,
      storedAt: Date.now(),
      generation,
    };
    await this.cache.set(entryKey, entry as unknown as JsonValue, {
      ttl: this.options.keepForMs,
    });
    return value;
  }
}
