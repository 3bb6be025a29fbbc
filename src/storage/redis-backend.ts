/** The cluster backend: every node shares one Redis; atomic operations are server-side scripts. */
import KeyvRedis, { createClient } from '@keyv/redis';
import { RESP_TYPES } from '@redis/client';
import { Keyv } from 'keyv';
import { KeyvStore } from './keyv-store.ts';
import { RedisAtomicOperations } from './redis-atomic.ts';
import type { RedisClient } from './redis-scripts.ts';
import {
  type AtomicOperations,
  type BackendHandle,
  type BlobStore,
  type KeyValueStore,
  type StorageBackend,
  ttlToMs,
} from './types.ts';

/** Blobs as raw Redis strings: bytes in, bytes out, no base64. */
class RedisBlobStore implements BlobStore {
  constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
  ) {}

  async put(key: string, data: Buffer, ttlSeconds: number): Promise<void> {
    await this.client.set(this.prefix + key, data, { expiration: { type: 'PX', value: ttlToMs(ttlSeconds) } });
  }

  async get(key: string): Promise<Buffer | undefined> {
    const reply = await this.client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }).get(this.prefix + key);
    return reply ?? undefined;
  }

  async delete(key: string): Promise<boolean> {
    return (await this.client.del(this.prefix + key)) > 0;
  }
}

/** The Redis backend; all keys start with `keyPrefix`. */
export class RedisBackend implements StorageBackend {
  readonly kind = 'redis';

  private constructor(
    private readonly client: RedisClient,
    private readonly keyPrefix: string,
  ) {}

  /** Connects; fails when Redis cannot be reached, so a misconfigured node does not start. */
  static async connect(url: string, keyPrefix: string): Promise<RedisBackend> {
    const client = createClient({
      url,
      socket: { reconnectStrategy: (retries: number) => Math.min(retries * 100, 2000) },
    });
    client.on('error', () => {
      // Reconnection is automatic; commands issued meanwhile fail and are answered as 503 by the error middleware.
    });
    await client.connect();
    return new RedisBackend(client as unknown as RedisClient, keyPrefix);
  }

  namespace<T>(name: string): KeyValueStore<T> {
    const adapter = new KeyvRedis<T>(this.client, { namespace: `${this.keyPrefix}${name}` });
    return new KeyvStore(new Keyv<T>({ store: adapter, namespace: `${this.keyPrefix}${name}`, useKeyPrefix: false }));
  }

  atomic(name: string): AtomicOperations {
    return new RedisAtomicOperations(this.client, `${this.keyPrefix}${name}:atomic:`);
  }

  blobs(name: string): BlobStore {
    return new RedisBlobStore(this.client, `${this.keyPrefix}${name}:blob:`);
  }

  handle(): BackendHandle {
    return { family: 'redis', client: this.client, keyPrefix: this.keyPrefix };
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
