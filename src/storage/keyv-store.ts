/** KeyValueStore over Keyv: the one place where the engine talks to Keyv. */
import { Keyv, type KeyvStoreAdapter } from 'keyv';
import { storedKeyPrefix } from './names.ts';
import { type KeyValueStore, ttlToMs } from './types.ts';

/** Runs one storage call; a backend uses it to refuse calls after close and to translate its errors. */
export type StorageGuard = <R>(operation: () => Promise<R>) => Promise<R>;

const unguarded: StorageGuard = (operation) => operation();

/** How a backend's Keyv keeps values. */
export type KeyvEncoding =
  /** As JSON text: what a store outside the process (Redis) or on disk (the file backend's journal) keeps. */
  | 'json'
  /**
   * As the values themselves, deep-frozen (the memory backend): nothing is encoded or parsed, and no reader or writer
   * can change what is stored, because every attempt throws. A Create's instance record is about 500 characters of
   * JSON, so this saves the encoding and a large string per live service.
   */
  | 'frozen';

/**
 * Creates the one Keyv of a backend. With `json`, values are JSON-safe data, so plain JSON is the whole encoding
 * (faster than Keyv's default serializer, and every read returns a fresh copy, as it would from Redis); with `frozen`,
 * Keyv's serialization is off (as its README documents) and the adapter freezes what it stores. Errors are thrown,
 * not swallowed: with Keyv's default a failing Redis would read as "absent". Keys are prefixed by `KeyvStore`, so
 * Keyv's own `namespace:key` prefixing (ambiguous when names contain `:`) is off.
 */
export function createKeyv(store: KeyvStoreAdapter, encoding: KeyvEncoding = 'json'): Keyv {
  return new Keyv({
    store,
    namespace: undefined,
    useKeyPrefix: false,
    throwOnErrors: true,
    serialize: encoding === 'json' ? (data) => JSON.stringify(data) : undefined,
    deserialize: encoding === 'json' ? (text) => JSON.parse(text) : undefined,
  });
}

/** Options of a `KeyvStore`. */
export interface KeyvStoreOptions {
  /** Before the namespace in every stored key (the Redis backend's `key_prefix`). */
  readonly keyPrefix?: string;
  /** Runs each storage call (see `StorageGuard`). */
  readonly guard?: StorageGuard;
  /**
   * True when the Keyv serves this namespace alone (the memory backend keeps one map per namespace): keys are then
   * stored as given, without building a prefixed copy of every key.
   */
  readonly ownKeyv?: boolean;
}

/**
 * A KeyValueStore for one namespace of a backend's Keyv; stored keys are `<keyPrefix><namespace>::<key>`, or the
 * key itself when the Keyv is the namespace's own.
 */
export class KeyvStore<T> implements KeyValueStore<T> {
  private readonly prefix: string;
  private readonly guard: StorageGuard;

  constructor(
    private readonly keyv: Keyv,
    namespace: string,
    options: KeyvStoreOptions = {},
  ) {
    this.prefix = `${options.keyPrefix ?? ''}${storedKeyPrefix(namespace, options.ownKeyv === true)}`;
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
