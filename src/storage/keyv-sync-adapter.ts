/** Lets Keyv use a SyncStore (the file backend's journal) as its storage adapter. */
import { EventEmitter } from 'node:events';
import type { KeyvStoreAdapter, StoredData } from 'keyv';
import type { SyncStore } from './sync-store.ts';

/** The longest a record may live when Keyv gives no TTL: a month, because every record must expire. */
const FALLBACK_TTL_MS = 30 * 24 * 3600 * 1000;

/** A Keyv storage adapter over a SyncStore. One adapter per Keyv namespace; they may share the store. */
export class KeyvSyncAdapter extends EventEmitter implements KeyvStoreAdapter {
  /** Set by Keyv; Keyv prefixes keys itself, so the adapter does not use it. */
  namespace?: string;
  /** Keyv reads adapter options from here. */
  opts: Record<string, unknown> = {};

  constructor(private readonly store: SyncStore<unknown>) {
    super();
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    return this.store.read(key)?.value as StoredData<Value> | undefined;
  }

  async set(key: string, value: unknown, ttl?: number): Promise<boolean> {
    this.store.write(key, value, Date.now() + (ttl && ttl > 0 ? ttl : FALLBACK_TTL_MS));
    return true;
  }

  async delete(key: string): Promise<boolean> {
    return this.store.remove(key);
  }

  async clear(): Promise<void> {
    throw new Error('clear() is not offered by the file backend: delete keys one by one');
  }
}
