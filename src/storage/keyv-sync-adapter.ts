/** Lets Keyv use a SyncStore (memory, or the file backend's journal) as its storage adapter. */
import { EventEmitter } from 'node:events';
import type { KeyvStoreAdapter, StoredData } from 'keyv';
import { deepFreeze } from './deep-freeze.ts';
import type { SyncStore } from './sync-store.ts';

/**
 * A Keyv storage adapter over a SyncStore; keys arrive already prefixed by `KeyvStore`. Over a store of strings it
 * keeps what Keyv serialized; over a store of values (Keyv's serialization off) it keeps Keyv's `{value, expires}`
 * deep-frozen, so what was stored cannot be changed through the writer's or a reader's reference.
 */
export class KeyvSyncAdapter<Stored extends string | object> extends EventEmitter implements KeyvStoreAdapter {
  /** Set by Keyv; unused, because keys arrive prefixed. */
  namespace?: string;
  /** Keyv reads adapter options from here. */
  opts: Record<string, unknown> = {};

  constructor(private readonly store: SyncStore<Stored>) {
    super();
  }

  /** What was stored; Keyv deserializes it when it is text and takes it as it is otherwise. */
  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    return this.store.read(key)?.value as StoredData<Value> | undefined;
  }

  async set(key: string, value: Stored, ttl?: number): Promise<boolean> {
    if (ttl === undefined || !(ttl > 0)) throw new RangeError(`every record needs a positive TTL (key ${key})`);
    this.store.write(key, typeof value === 'string' ? value : deepFreeze(value), Date.now() + ttl);
    return true;
  }

  async delete(key: string): Promise<boolean> {
    return this.store.remove(key);
  }

  async clear(): Promise<void> {
    throw new Error('clear() is not offered by the local backends: delete keys one by one');
  }
}
