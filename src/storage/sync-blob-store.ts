/** Blobs of the memory backend: bytes kept in a SyncStore as they are, never re-encoded, copied in and out. */
import { namespacePrefix } from './names.ts';
import type { SyncStore } from './sync-store.ts';
import { type BlobStore, ttlToMs } from './types.ts';

/** A BlobStore of one namespace over a SyncStore. */
export class SyncBlobStore implements BlobStore {
  private readonly prefix: string;

  constructor(
    private readonly store: SyncStore<Buffer>,
    namespace: string,
  ) {
    this.prefix = namespacePrefix(namespace);
  }

  async put(key: string, data: Buffer, ttlSeconds: number): Promise<void> {
    // A copy, so a caller reusing its buffer cannot change what was stored (other backends copy by writing).
    this.store.write(this.prefix + key, Buffer.from(data), Date.now() + ttlToMs(ttlSeconds));
  }

  async get(key: string): Promise<Buffer | undefined> {
    const data = this.store.read(this.prefix + key)?.value;
    return data === undefined ? undefined : Buffer.from(data);
  }

  async delete(key: string): Promise<boolean> {
    return this.store.remove(this.prefix + key);
  }

  async touch(key: string, ttlSeconds: number): Promise<boolean> {
    const entry = this.store.read(this.prefix + key);
    if (entry === undefined) return false;
    this.store.write(this.prefix + key, entry.value, Date.now() + ttlToMs(ttlSeconds));
    return true;
  }
}
