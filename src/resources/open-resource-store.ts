/** Picks the resource store of the storage backend's family; the backend stays the owner of what it opened. */
import type { StorageBackend } from '../storage/types.ts';
import { LocalResourceStore } from './local-resource-store.ts';
import { RedisResourceStore } from './redis-resource-store.ts';
import type { ResourceStore } from './resource-store.ts';

/** The resource store for `backend` (in-process for memory and file, scripts for Redis). */
export function openResourceStore(backend: StorageBackend): ResourceStore {
  const handle = backend.handle();
  return handle.family === 'local'
    ? new LocalResourceStore(handle.store, { persistent: handle.persistent })
    : new RedisResourceStore(handle.client, handle.keyPrefix);
}
