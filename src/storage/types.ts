import type { RedisClient } from './redis-client.ts';
import type { MemorySyncStore } from './sync-store.ts';

/**
 * The narrow storage interface the engine and plugins use. Every backend (memory, file, redis) implements it and
 * passes the same contract suite (test/storage-contract.test.ts).
 */

/** A key/value namespace; every record has a TTL. Values are JSON-safe data. */
export interface KeyValueStore<T> {
  /** The value, or undefined when absent or expired. */
  get(key: string): Promise<T | undefined>;
  /** Stores a value for `ttlSeconds` seconds (must be > 0: nothing is kept forever). */
  set(key: string, value: T, ttlSeconds: number): Promise<void>;
  /** Deletes a value; true when it existed. */
  delete(key: string): Promise<boolean>;
}

/**
 * The atomic operations Keyv lacks. Each call is atomic with respect to every other call on the same key, across
 * every process sharing the backend (on Redis they are server-side scripts). Values are strings; TTLs in ms, and a
 * TTL that is not a positive number is refused wherever a value is written.
 */
export interface AtomicOperations {
  /** Reads a value (undefined when absent or expired). */
  get(key: string): Promise<string | undefined>;
  /** Sets `key` to `value` only if it is absent (or expired); true when this call took it. */
  takeIfFree(key: string, value: string, ttlMs: number): Promise<boolean>;
  /**
   * Replaces the value only if the current one equals `expected` (undefined: absent). `next` undefined deletes it.
   * True when the swap happened.
   */
  compareAndSet(key: string, expected: string | undefined, next: string | undefined, ttlMs: number): Promise<boolean>;
  /**
   * Adds `by` (a safe integer, may be negative) to a counter created at 0 and returns the new value; the TTL is set
   * when the counter is created and not extended by later increments. A non-numeric value is refused.
   */
  increment(key: string, by: number, ttlMs: number): Promise<number>;
}

/** Binary values (uploaded files), kept without base64 bloat where the backend allows it. */
export interface BlobStore {
  /** Stores bytes for `ttlSeconds`. */
  put(key: string, data: Buffer, ttlSeconds: number): Promise<void>;
  /** The bytes, or undefined when absent or expired. */
  get(key: string): Promise<Buffer | undefined>;
  /** Deletes; true when it existed. */
  delete(key: string): Promise<boolean>;
  /** Sets a new TTL without reading or rewriting the bytes; false when the blob is absent or expired. */
  touch(key: string, ttlSeconds: number): Promise<boolean>;
}

/** Which backend serves a deployment. */
export type BackendKind = 'memory' | 'file' | 'redis';

/**
 * A storage backend: namespaces of key/values, atomic operations and blobs, opened once and closed on shutdown.
 * A namespace name is not empty, contains no `::` and does not end with `:` (see `names.ts`); the three kinds of
 * data never share keys, so one name may be used for each kind.
 */
export interface StorageBackend {
  /** The kind, for logs and status answers. */
  readonly kind: BackendKind;
  /** A key/value namespace (one per concern: `services`, `data`, ...). */
  namespace<T>(name: string): KeyValueStore<T>;
  /** Atomic operations within a namespace. */
  atomic(name: string): AtomicOperations;
  /** Binary values within a namespace. */
  blobs(name: string): BlobStore;
  /** What the backend is built on, for stores that need more than key/values (resource pools); still owned here. */
  handle(): BackendHandle;
  /** Flushes and closes; the backend is unusable afterwards. */
  close(): Promise<void>;
}

/**
 * The structure a backend is built on: the in-process synchronous store (memory; file, where it is journalled) or
 * the Redis connection and key prefix. Specialised stores build on it; the backend keeps opening and closing it.
 */
export type BackendHandle =
  | { readonly family: 'local'; readonly store: MemorySyncStore<string>; readonly persistent: boolean }
  | { readonly family: 'redis'; readonly client: RedisClient; readonly keyPrefix: string };

/** Converts a TTL in seconds to milliseconds, refusing values that would keep data forever. */
export function ttlToMs(ttlSeconds: number): number {
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    throw new RangeError(`TTL must be a positive number of seconds, got ${ttlSeconds}`);
  }
  return Math.max(1, Math.round(ttlSeconds * 1000));
}

/** Checks a TTL in milliseconds (atomic operations) and rounds it up to a whole millisecond. */
export function checkTtlMs(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new RangeError(`TTL must be a positive number of milliseconds, got ${ttlMs}`);
  }
  return Math.ceil(ttlMs);
}
