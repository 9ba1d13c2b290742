export { POLL_INTERVAL_MS, usePolledAsync } from './usePolledAsync';
export type { PolledAsyncState } from './usePolledAsync';
export { useEntityRef } from './useEntityRef';
export { useRerunPermission } from './useRerunPermission';
