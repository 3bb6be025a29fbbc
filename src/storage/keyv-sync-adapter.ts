/** Lets Keyv use a SyncStore (memory, or the file backend's journal) as its storage adapter. */
import { EventEmitter } from 'node:events';
import type { KeyvStoreAdapter, StoredData } from 'keyv';
import type { SyncStore } from './sync-store.ts';

/** A Keyv storage adapter over a SyncStore of serialized values; keys arrive already prefixed by `KeyvStore`. */
export class KeyvSyncAdapter extends EventEmitter implements KeyvStoreAdapter {
  /** Set by Keyv; unused, because keys arrive prefixed. */
  namespace?: string;
  /** Keyv reads adapter options from here. */
  opts: Record<string, unknown> = {};

  constructor(private readonly store: SyncStore<string>) {
    super();
  }

  /** The serialized value; Keyv's type promises deserialized data, yet Keyv deserializes what adapters return. */
  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    return this.store.read(key)?.value as StoredData<Value> | undefined;
  }

  async set(key: string, value: string, ttl?: number): Promise<boolean> {
    if (ttl === undefined || !(ttl > 0)) throw new RangeError(`every record needs a positive TTL (key ${key})`);
    this.store.write(key, value, Date.now() + ttl);
    return true;
  }

  async delete(key: string): Promise<boolean> {
    return this.store.remove(key);
  }

  async clear(): Promise<void> {
    throw new Error('clear() is not offered by the local backends: delete keys one by one');
  }
}
