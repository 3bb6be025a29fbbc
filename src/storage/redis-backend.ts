/**
 * The cluster backend: every node shares one Redis. Stored keys are `<key_prefix><kind>:<namespace>::<key>`, kind
 * being `kv` (records, through Keyv), `atomic` or `blob`, so one Redis can serve several deployments and every key of
 * a deployment can be found (and removed) by its prefix. Atomic operations are single commands or Lua scripts.
 */
import KeyvRedis from '@keyv/redis';
import { RESP_TYPES } from '@redis/client';
import type { Keyv } from 'keyv';
import { createKeyv, KeyvStore, type StorageGuard } from './keyv-store.ts';
import { namespacePrefix } from './names.ts';
import { RedisAtomicOperations } from './redis-atomic.ts';
import { connectRedis, type RedisClient, type RedisConnectOptions, translateRedisError } from './redis-client.ts';
import {
  type AtomicOperations,
  type BackendHandle,
  type BlobStore,
  type KeyValueStore,
  type StorageBackend,
  ttlToMs,
} from './types.ts';

/** Options of the Redis backend. */
export interface RedisBackendOptions extends RedisConnectOptions {
  /** Prefix of every key this backend writes (`[storage] key_prefix`). */
  keyPrefix: string;
}

/** A view of the client that answers strings as Buffers. */
function binaryView(client: RedisClient) {
  return client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
}

/** Blobs as raw Redis strings: bytes in, bytes out, no base64. */
class RedisBlobStore implements BlobStore {
  private readonly binary: ReturnType<typeof binaryView>;

  constructor(
    client: RedisClient,
    private readonly prefix: string,
    private readonly guard: StorageGuard,
  ) {
    this.binary = binaryView(client);
  }

  async put(key: string, data: Buffer, ttlSeconds: number): Promise<void> {
    const expiration = { type: 'PX', value: ttlToMs(ttlSeconds) } as const;
    await this.guard(() => this.binary.set(this.prefix + key, data, { expiration }));
  }

  async get(key: string): Promise<Buffer | undefined> {
    return this.guard(async () => (await this.binary.get(this.prefix + key)) ?? undefined);
  }

  async delete(key: string): Promise<boolean> {
    return this.guard(async () => (await this.binary.unlink(this.prefix + key)) > 0);
  }

  async touch(key: string, ttlSeconds: number): Promise<boolean> {
    return this.guard(async () => (await this.binary.pExpire(this.prefix + key, ttlToMs(ttlSeconds))) === 1);
  }
}

/** The Redis backend. */
export class RedisBackend implements StorageBackend {
  readonly kind = 'redis';
  private readonly keyv: Keyv;
  private closed = false;

  /** Refuses calls after close (Keyv's Redis adapter would otherwise reconnect) and answers a lost Redis as 503. */
  private readonly guard: StorageGuard = async (operation) => {
    if (this.closed) throw new Error('the Redis storage backend is closed');
    try {
      return await operation();
    } catch (error) {
      throw translateRedisError(error);
    }
  };

  private constructor(
    private readonly client: RedisClient,
    private readonly keyPrefix: string,
  ) {
    this.keyv = createKeyv(new KeyvRedis(client, { throwOnErrors: true }));
  }

  /** Connects; fails within the connect timeout when Redis cannot be reached, so a misconfigured node does not start. */
  static async connect(options: RedisBackendOptions): Promise<RedisBackend> {
    return new RedisBackend(await connectRedis(options), options.keyPrefix);
  }

  namespace<T>(name: string): KeyValueStore<T> {
    return new KeyvStore<T>(this.keyv, name, { keyPrefix: `${this.keyPrefix}kv:`, guard: this.guard });
  }

  atomic(name: string): AtomicOperations {
    return new RedisAtomicOperations(this.client, this.prefixOf('atomic', name), this.guard);
  }

  blobs(name: string): BlobStore {
    return new RedisBlobStore(this.client, this.prefixOf('blob', name), this.guard);
  }

  handle(): BackendHandle {
    return { family: 'redis', client: this.client, keyPrefix: this.keyPrefix };
  }

  /** Waits for the commands in flight, then closes the connection; nothing of the backend keeps the process alive. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.client.isReady) await this.client.close();
    else if (this.client.isOpen) this.client.destroy();
  }

  private prefixOf(kind: string, name: string): string {
    return `${this.keyPrefix}${kind}:${namespacePrefix(name)}`;
  }
}
