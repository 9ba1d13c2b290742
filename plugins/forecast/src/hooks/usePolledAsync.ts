import { DependencyList, useCallback, useEffect, useState } from 'react';

/** How often a view reloads while one of its executions is RUNNING. */
export const POLL_INTERVAL_MS = 5000;

/** State of a request that reloads itself while `shouldPoll` holds. */
export interface PolledAsyncState<T> {
  value?: T;
  error?: Error;
  /** True while a request is in flight, including polls. */
  loading: boolean;
  /** True while a reload is scheduled because `shouldPoll` returned true. */
  polling: boolean;
  /** Loads again now, for example after a manual refresh or a retry. */
  reload: () => void;
}

/**
 * Runs `load` whenever `deps` change and again every `intervalMs` for as long
 * as `shouldPoll(value)` returns true. Polling stops on the first error, so a
 * failing backend is not hit every few seconds, and `reload` starts it again.
 * `shouldPoll` is read at render time, so it may use the caller's props.
 */
export function usePolledAsync<T>(
  load: () => Promise<T>,
  deps: DependencyList,
  options: { shouldPoll: (value: T) => boolean; intervalMs?: number },
): PolledAsyncState<T> {
  const { shouldPoll, intervalMs = POLL_INTERVAL_MS } = options;
  const [state, setState] = useState<{
    value?: T;
    error?: Error;
    loading: boolean;
  }>({ loading: true });
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let cancelled = false;
    setState(previous => ({ ...previous, loading: true }));
    load().then(
      value => {
        if (!cancelled) {
          setState({ value, loading: false });
        }
      },
      error => {
        if (!cancelled) {
          setState(previous => ({
            value: previous.value,
            error,
            loading: false,
          }));
        }
      },
    );
    return () => {
      cancelled = true;
    };
    // `load` is a new function on every render, so only `deps` decides when
    // it runs again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);

  const polling =
    state.value !== undefined && !state.error && shouldPoll(state.value);

  useEffect(() => {
    if (!polling || state.loading) {
      return undefined;
    }
    const timer = setTimeout(() => setTick(value => value + 1), intervalMs);
    return () => clearTimeout(timer);
  }, [polling, state.loading, intervalMs]);

  const reload = useCallback(() => setTick(value => value + 1), []);

  return { ...state, polling, reload };
}
