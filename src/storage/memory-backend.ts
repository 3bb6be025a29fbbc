/** The default backend: everything in this process, gone when it exits. No external service needed. */
import type { Keyv } from 'keyv';
import { createKeyv, KeyvStore } from './keyv-store.ts';
import { KeyvSyncAdapter } from './keyv-sync-adapter.ts';
import { LocalAtomicOperations } from './local-atomic.ts';
import { SyncBlobStore } from './sync-blob-store.ts';
import { MemorySyncStore } from './sync-store.ts';
import type { AtomicOperations, BackendHandle, BlobStore, KeyValueStore, StorageBackend } from './types.ts';

/**
 * The in-process backend. Each namespace of records and of atomic values has a map of its own, so keys are stored
 * as given: a shared map would hold a `<namespace>::<key>` copy of every key, an extra string per record that each
 * look-up must compare. Expired entries leave the maps as the next write comes (and at a periodic sweep when nothing
 * is written), so data nobody reads again does not pile up.
 */
export class MemoryBackend implements StorageBackend {
  readonly kind = 'memory';
  private readonly keyvs = new Map<string, Keyv>();
  private readonly atomicStores = new Map<string, MemorySyncStore<string>>();
  /** Reservations of the resource store (which keeps its own indexes and writes nothing here on this backend). */
  private readonly resourceStore = new MemorySyncStore<string>();
  private readonly blobStore = new MemorySyncStore<Buffer>();
  private readonly syncStores: Array<{ stop(): void }> = [this.resourceStore, this.blobStore];

  namespace<T>(name: string): KeyValueStore<T> {
    let keyv = this.keyvs.get(name);
    if (!keyv) {
      keyv = createKeyv(new KeyvSyncAdapter(this.ownStore<object>()), 'frozen');
      this.keyvs.set(name, keyv);
    }
    return new KeyvStore<T>(keyv, name, { ownKeyv: true });
  }

  atomic(name: string): AtomicOperations {
    let store = this.atomicStores.get(name);
    if (!store) {
      store = this.ownStore<string>();
      this.atomicStores.set(name, store);
    }
    return new LocalAtomicOperations(store, name, { ownStore: true });
  }

  blobs(name: string): BlobStore {
    return new SyncBlobStore(this.blobStore, name);
  }

  handle(): BackendHandle {
    return { family: 'local', store: this.resourceStore, persistent: false };
  }

  async close(): Promise<void> {
    for (const store of this.syncStores) store.stop();
  }

  private ownStore<T>(): MemorySyncStore<T> {
    const store = new MemorySyncStore<T>();
    this.syncStores.push(store);
    return store;
  }
}
