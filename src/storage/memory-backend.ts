/** The default backend: everything in this process, gone when it exits. No external service needed. */
import { Keyv } from 'keyv';
import { KeyvStore } from './keyv-store.ts';
import { LocalAtomicOperations } from './local-atomic.ts';
import { MemorySyncStore, type SyncStore } from './sync-store.ts';
import {
  type AtomicOperations,
  type BackendHandle,
  type BlobStore,
  type KeyValueStore,
  type StorageBackend,
  ttlToMs,
} from './types.ts';

/** A BlobStore over a SyncStore: bytes are kept as they are, never re-encoded. */
export class SyncBlobStore implements BlobStore {
  constructor(
    private readonly store: SyncStore<Buffer>,
    private readonly prefix: string,
  ) {}

  async put(key: string, data: Buffer, ttlSeconds: number): Promise<void> {
    this.store.write(this.prefix + key, data, Date.now() + ttlToMs(ttlSeconds));
  }

  async get(key: string): Promise<Buffer | undefined> {
    return this.store.read(this.prefix + key)?.value;
  }

  async delete(key: string): Promise<boolean> {
    return this.store.remove(this.prefix + key);
  }
}

/** The in-process backend. */
export class MemoryBackend implements StorageBackend {
  readonly kind = 'memory';
  private readonly atomics = new MemorySyncStore<string>();
  private readonly blobStore = new MemorySyncStore<Buffer>();

  namespace<T>(name: string): KeyValueStore<T> {
    // Values are kept as objects, not serialized: nothing leaves the process, so JSON would be wasted work.
    return new KeyvStore(
      new Keyv<T>({ store: new Map(), namespace: name, serialize: undefined, deserialize: undefined }),
    );
  }

  atomic(name: string): AtomicOperations {
    return new LocalAtomicOperations(this.atomics, `${name}:`);
  }

  blobs(name: string): BlobStore {
    return new SyncBlobStore(this.blobStore, `${name}:`);
  }

  handle(): BackendHandle {
    return { family: 'local', store: this.atomics, persistent: false };
  }

  async close(): Promise<void> {
    this.atomics.stop();
    this.blobStore.stop();
  }
}
