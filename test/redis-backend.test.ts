/**
 * What only the Redis backend promises: every key it writes starts with `[storage] key_prefix`, and a lost Redis
 * connection is answered as 503 (Retry-After) and recovered from without a restart.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { GmsError } from '../src/errors.ts';
import { createMemoryLogger } from '../src/logger.ts';
import { RedisBackend } from '../src/storage/redis-backend.ts';
import { keysContaining, REDIS_URL, redisSuite } from './helpers/redis.ts';

/** A TCP relay to Redis that a test can cut and restore, as a network failure would. */
class CuttableRelay {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  /** Listens (again) on the same port as before, or on a free one the first time. */
  async start(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and drops every open connection. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** REDIS_URL, pointed at the relay. */
  url(): string {
    const url = new URL(REDIS_URL);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }
}

/** Polls `probe` until it returns something (each try 50 ms apart); fails after `tries`. */
async function eventually<T>(probe: () => Promise<T | undefined>, what: string, tries = 200): Promise<T> {
  for (let attempt = 0; attempt < tries; attempt++) {
    const result = await probe();
    if (result !== undefined) return result;
    await sleep(50);
  }
  throw new Error(`${what} did not happen`);
}

describe('redis backend', () => {
  const keyPrefix = redisSuite();

  it('writes every key under key_prefix', async () => {
    const marker = randomBytes(6).toString('hex');
    const backend = await RedisBackend.connect({ url: REDIS_URL, keyPrefix });
    try {
      const name = `prefix-${marker}`;
      await backend.namespace<string>(name).set(`record-${marker}`, 'r', 60);
      await backend.atomic(name).takeIfFree(`taken-${marker}`, 'a', 60_000);
      await backend.atomic(name).compareAndSet(`swapped-${marker}`, undefined, 'c', 60_000);
      await backend.atomic(name).increment(`counter-${marker}`, 1, 60_000);
      await backend.blobs(name).put(`blob-${marker}`, Buffer.from('b'), 60);
    } finally {
      await backend.close();
    }
    const keys = await keysContaining(marker);
    expect(keys).to.have.length(5);
    for (const key of keys) expect(key.startsWith(keyPrefix), key).to.equal(true);
    expect(keys.map((key) => key.slice(keyPrefix.length).split(':')[0]).sort()).to.deep.equal([
      'atomic',
      'atomic',
      'atomic',
      'blob',
      'kv',
    ]);
  });

  it('answers 503 with Retry-After while Redis cannot be reached, logs it, and works again once it can', async () => {
    const target = new URL(REDIS_URL);
    const relay = new CuttableRelay({ host: target.hostname, port: Number(target.port || 6379) });
    await relay.start();
    const log = createMemoryLogger();
    const backend = await RedisBackend.connect({ url: relay.url(), keyPrefix, log });
    try {
      const store = backend.namespace<string>('outage');
      await store.set('k', 'before the outage', 60);
      await relay.cut();
      const failure = await eventually(
        () =>
          store.get('k').then(
            () => undefined,
            (error: unknown) => error,
          ),
        'a failure while Redis is cut off',
      );
      expect(failure).to.be.instanceOf(GmsError);
      const error = failure as GmsError;
      expect([error.status, error.definition.code]).to.deep.equal([503, 'GMS_STORAGE_UNAVAILABLE']);
      expect(error.headers['Retry-After']).to.match(/^\d+$/);
      expect(error.message).to.contain('Redis');

      await relay.start();
      const value = await eventually(
        () => store.get('k').catch(() => undefined),
        'a successful read after Redis is back',
      );
      expect(value).to.equal('before the outage');
      expect(log.lines.map(({ level, message }) => ({ level, message }))).to.deep.equal([
        { level: 'warn', message: 'Redis connection lost; reconnecting' },
        { level: 'info', message: 'Redis connection restored' },
      ]);
    } finally {
      await backend.close();
      await relay.cut();
    }
  });
});
