/** KeyValueStore over Keyv: the one place where the engine talks to Keyv. */
import { Keyv, type KeyvStoreAdapter } from 'keyv';
import { namespacePrefix } from './names.ts';
import { type KeyValueStore, ttlToMs } from './types.ts';

/** Runs one storage call; a backend uses it to refuse calls after close and to translate its errors. */
export type StorageGuard = <R>(operation: () => Promise<R>) => Promise<R>;

const unguarded: StorageGuard = (operation) => operation();

/**
 * Creates the one Keyv of a backend. Values are JSON-safe data, so plain JSON is the whole encoding (faster than
 * Keyv's default serializer, and every read returns a fresh copy, as it would from Redis). Errors are thrown, not
 * swallowed: with Keyv's default a failing Redis would read as "absent". Keys are prefixed by `KeyvStore`, so Keyv's
 * own `namespace:key` prefixing (ambiguous when names contain `:`) is off.
 */
export function createKeyv(store: KeyvStoreAdapter): Keyv {
  return new Keyv({
    store,
    namespace: undefined,
    useKeyPrefix: false,
    throwOnErrors: true,
    serialize: (data) => JSON.stringify(data),
    deserialize: (text) => JSON.parse(text),
  });
}

/** A KeyValueStore for one namespace of a backend's Keyv; stored keys are `<keyPrefix><namespace>::<key>`. */
export class KeyvStore<T> implements KeyValueStore<T> {
  private readonly prefix: string;
  private readonly guard: StorageGuard;

  constructor(
    private readonly keyv: Keyv,
    namespace: string,
    options: { keyPrefix?: string; guard?: StorageGuard } = {},
  ) {
    this.prefix = `${options.keyPrefix ?? ''}${namespacePrefix(namespace)}`;
    this.guard = options.guard ?? unguarded;
  }

  async get(key: string): Promise<T | undefined> {
    return this.guard(async () => (await this.keyv.get<T>(this.prefix + key)) ?? undefined);
  }

  async set(key: string, value: T, ttlSeconds: number): Promise<void> {
    const ttlMs = ttlToMs(ttlSeconds);
    const stored = await this.guard(() => this.keyv.set(this.prefix + key, value, ttlMs));
    if (!stored) throw new Error(`storage refused to write key ${key}`);
  }

  async delete(key: string): Promise<boolean> {
    return this.guard(() => this.keyv.delete(this.prefix + key));
  }
}
