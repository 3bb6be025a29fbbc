/** KeyValueStore over Keyv: the one place where the engine talks to Keyv. */
import type { Keyv } from 'keyv';
import { type KeyValueStore, ttlToMs } from './types.ts';

/** A KeyValueStore backed by one Keyv namespace. */
export class KeyvStore<T> implements KeyValueStore<T> {
  constructor(private readonly keyv: Keyv<T>) {}

  async get(key: string): Promise<T | undefined> {
    return (await this.keyv.get(key)) ?? undefined;
  }

  async set(key: string, value: T, ttlSeconds: number): Promise<void> {
    const stored = await this.keyv.set(key, value, ttlToMs(ttlSeconds));
    if (!stored) throw new Error(`storage refused to write key ${key}`);
  }

  async delete(key: string): Promise<boolean> {
    return this.keyv.delete(key);
  }
}
