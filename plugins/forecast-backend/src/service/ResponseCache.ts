import type {
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { JsonValue } from '@backstage/types';
import { isThrottlingError } from './awsErrors';

/** Time limits of {@link ResponseCache}, in milliseconds. */
export interface ResponseCacheOptions {
  /** How long a stored result is served without asking AWS again. */
  freshForMs: number;
  /** How long a stored result is kept to serve when AWS throttles. */
  keepForMs: number;
}

type StoredEntry = {
  value: JsonValue;
  storedAt: number;
  generation: number;
};

/** Entries kept in process memory in front of the cache service. */
const LOCAL_ENTRIES = 1000;

/**
 * How long a group's generation read from the cache service is reused. An
 * invalidation by another backend instance shows here after at most this long;
 * one by this instance shows at once.
 */
const GENERATION_REUSE_MS = 1000;

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
 * a single AWS call. Fresh entries are also kept in process memory, so a warm
 * page view skips the cache service's serialization. Values are shared
 * between callers and must not be modified.
 */
export class ResponseCache {
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly local = new Map<string, StoredEntry>();
  private readonly generations = new Map<
    string,
    { value: number; readAt: number }
  >();

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
    const generation = await this.generation(group);
    const isFresh = (candidate: StoredEntry | undefined, now: number) =>
      candidate !== undefined &&
      candidate.generation === generation &&
      now - candidate.storedAt < this.options.freshForMs;

    const now = Date.now();
    const local = this.local.get(entryKey);
    if (isFresh(local, now)) {
      return { value: local!.value as unknown as T, stale: false };
    }
    const entry = await this.cache.get<StoredEntry>(entryKey);
    if (isFresh(entry, now)) {
      this.remember(entryKey, entry!);
      return { value: entry!.value as unknown as T, stale: false };
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
      const older = entry ?? local;
      if (older && isThrottlingError(error)) {
        this.logger.warn(
          `AWS throttled the request for ${key}; serving the result stored ${Math.round(
            (now - older.storedAt) / 1000,
          )} s ago`,
        );
        return { value: older.value as unknown as T, stale: true };
      }
      throw error;
    }
  }

  /** Marks every entry of a group as out of date, for example after a rerun. */
  async invalidate(group: string): Promise<void> {
    const value = Date.now();
    this.generations.set(group, { value, readAt: value });
    await this.cache.set(`generation:${group}`, value, {
      ttl: this.options.keepForMs * 2,
    });
  }

  private async generation(group: string): Promise<number> {
    const now = Date.now();
    const reused = this.generations.get(group);
    if (reused && now - reused.readAt < GENERATION_REUSE_MS) {
      return reused.value;
    }
    const value = (await this.cache.get<number>(`generation:${group}`)) ?? 0;
    this.generations.set(group, { value, readAt: now });
    return value;
  }

  private remember(entryKey: string, entry: StoredEntry) {
    this.local.delete(entryKey);
    this.local.set(entryKey, entry);
    if (this.local.size > LOCAL_ENTRIES) {
      // Maps iterate in insertion order, so this drops the oldest entry.
      this.local.delete(this.local.keys().next().value!);
    }
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
    this.remember(entryKey, entry);
    await this.cache.set(entryKey, entry as unknown as JsonValue, {
      ttl: this.options.keepForMs,
    });
    return value;
  }
}
