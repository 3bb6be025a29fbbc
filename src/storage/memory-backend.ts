/** The default backend: everything in this process, gone when it exits. No external service needed. */
import type { Keyv } from 'keyv';
import { createKeyv, KeyvStore } from './keyv-store.ts';
import { KeyvSyncAdapter } from './keyv-sync-adapter.ts';
import { LocalAtomicOperations } from './local-atomic.ts';
import { SyncBlobStore } from './sync-blob-store.ts';
import { MemorySyncStore } from './sync-store.ts';
import type { AtomicOperations, BackendHandle, BlobStore, KeyValueStore, StorageBackend } from './types.ts';

/** The in-process backend. Expired entries are swept periodically, so data nobody reads again does not pile up. */
export class MemoryBackend implements StorageBackend {
  readonly kind = 'memory';
  private readonly records = new MemorySyncStore<string>();
  private readonly atomics = new MemorySyncStore<string>();
  private readonly blobStore = new MemorySyncStore<Buffer>();
  private readonly keyv: Keyv = createKeyv(new KeyvSyncAdapter(this.records));

  namespace<T>(name: string): KeyValueStore<T> {
    return new KeyvStore<T>(this.keyv, name);
  }

  atomic(name: string): AtomicOperations {
    return new LocalAtomicOperations(this.atomics, name);
  }

  blobs(name: string): BlobStore {
    return new SyncBlobStore(this.blobStore, name);
  }

  handle(): BackendHandle {
    return { family: 'local', store: this.atomics, persistent: false };
  }

  async close(): Promise<void> {
    for (const store of [this.records, this.atomics, this.blobStore]) store.stop();
  }
}
