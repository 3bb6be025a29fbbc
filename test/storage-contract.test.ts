/**
 * The storage contract: one suite, run unchanged against every backend (memory, file, redis). A backend passes it or
 * is not offered. On Redis the concurrency checks spread their callers over two backends (two connections), as two
 * nodes of a cluster would.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { FileBackend } from '../src/storage/file-backend.ts';
import { MemoryBackend } from '../src/storage/memory-backend.ts';
import { RedisBackend } from '../src/storage/redis-backend.ts';
import type { StorageBackend } from '../src/storage/types.ts';
import { tempFolder } from './helpers/engine-fixture.ts';
import { REDIS_URL, redisSuite } from './helpers/redis.ts';

/** How the contract reaches one backend kind. */
interface ContractTarget {
  /** Opens a backend; every backend a target opens sees the same data. */
  open(): Promise<StorageBackend>;
  /** How many backends the concurrency checks spread their callers over. */
  peers: number;
}

/** A short TTL, and a wait after which data written with it is surely gone. */
const SHORT_TTL_MS = 400;
const PAST_SHORT_TTL_MS = 800;
const CONCURRENT_CALLERS = 50;

/** Values every backend must give back exactly as they were stored. */
const JSON_VALUES: Record<string, unknown> = {
  object: {
    text: 'héllo "quoted" \\ back\nslash\t😀',
    colon: ':base64:AAAA',
    empty: '',
    int: 42,
    negative: -7.25,
    large: 2 ** 53 - 1,
    yes: true,
    no: false,
    nothing: null,
    list: [1, 'two', { three: [3] }, [], {}],
    nested: { deeper: { deepest: ['x'] } },
  },
  string: 'just a string',
  number: 0,
  boolean: false,
  array: [null, 1, 'a'],
  emptyObject: {},
};

function storageContract(target: ContractTarget): void {
  const backends: StorageBackend[] = [];
  let backend: StorageBackend;
  let counter = 0;
  /** A namespace name no other test of the suite uses. */
  const fresh = (label: string) => `contract:${label}-${++counter}`;
  /** The backend caller `index` uses. */
  const peer = (index: number) => backends[index % backends.length] ?? backend;

  before(async () => {
    for (let index = 0; index < target.peers; index++) backends.push(await target.open());
    backend = backends[0]!;
  });
  after(async () => {
    for (const opened of backends.splice(0)) await opened.close();
  });

  describe('key/value namespaces', () => {
    it('sets, gets, replaces and deletes a record', async () => {
      const store = backend.namespace<{ n: number }>(fresh('records'));
      expect(await store.get('k')).to.equal(undefined);
      await store.set('k', { n: 1 }, 60);
      expect(await store.get('k')).to.deep.equal({ n: 1 });
      await store.set('k', { n: 2 }, 60);
      expect(await store.get('k')).to.deep.equal({ n: 2 });
      expect(await store.delete('k')).to.equal(true);
      expect(await store.get('k')).to.equal(undefined);
      expect(await store.delete('k')).to.equal(false);
    });

    it('accepts keys with separators, spaces and non-ASCII characters', async () => {
      const store = backend.namespace<string>(fresh('keys'));
      const keys = ['a/b', 'a::b', ':lead', 'trail:', 'with space', 'ключ', '*?[glob]'];
      for (const key of keys) await store.set(key, `value of ${key}`, 60);
      for (const key of keys) expect(await store.get(key)).to.equal(`value of ${key}`);
    });

    it('keeps namespaces and the kinds of data apart', async () => {
      const name = fresh('isolation');
      const [one, other] = [backend.namespace<string>(`${name}:a`), backend.namespace<string>(`${name}:b`)];
      await one.set('k', 'one', 60);
      await other.set('k', 'other', 60);
      expect([await one.get('k'), await other.get('k')]).to.deep.equal(['one', 'other']);
      await one.delete('k');
      expect(await other.get('k')).to.equal('other');

      // A colon in a name cannot make two (namespace, key) pairs meet.
      await backend.namespace<string>(name).set('a:b', 'short namespace', 60);
      await backend.namespace<string>(`${name}:a`).set('b', 'long namespace', 60);
      expect(await backend.namespace<string>(name).get('a:b')).to.equal('short namespace');

      // Records, atomic values and blobs with the same namespace and key are three different things.
      await backend.namespace<string>(name).set('same', 'record', 60);
      await backend.atomic(name).takeIfFree('same', 'atomic', 60_000);
      await backend.blobs(name).put('same', Buffer.from('blob'), 60);
      expect(await backend.namespace<string>(name).get('same')).to.equal('record');
      expect(await backend.atomic(name).get('same')).to.equal('atomic');
      expect((await backend.blobs(name).get('same'))?.toString()).to.equal('blob');
    });

    it('refuses namespace names that could collide', () => {
      for (const bad of ['', 'a::b', 'ends:']) {
        expect(() => backend.namespace(bad), `namespace "${bad}"`).to.throw(RangeError, /namespace/);
        expect(() => backend.atomic(bad), `atomic "${bad}"`).to.throw(RangeError, /namespace/);
        expect(() => backend.blobs(bad), `blobs "${bad}"`).to.throw(RangeError, /namespace/);
      }
    });

    it('round-trips JSON-safe values; what is stored cannot be changed through the written or a read value', async () => {
      const store = backend.namespace<unknown>(fresh('json'));
      for (const [key, value] of Object.entries(JSON_VALUES)) await store.set(key, value, 60);
      for (const [key, value] of Object.entries(JSON_VALUES)) {
        expect(await store.get(key), key).to.deep.equal(value);
      }
      const original = { list: [1] };
      await store.set('copy', original, 60);
      attemptChange(() => original.list.push(2));
      const read = (await store.get('copy')) as { list: number[] };
      attemptChange(() => read.list.push(3));
      expect(await store.get('copy')).to.deep.equal({ list: [1] });
    });
  });

  describe('time to live', () => {
    it('expires records, blobs and atomic values after their TTL', async () => {
      const name = fresh('expiry');
      const records = backend.namespace<string>(name);
      const blobs = backend.blobs(name);
      const atomic = backend.atomic(name);
      await records.set('short', 'r', SHORT_TTL_MS / 1000);
      await records.set('long', 'kept', 60);
      await blobs.put('short', Buffer.from('b'), SHORT_TTL_MS / 1000);
      await atomic.takeIfFree('taken', 'a', SHORT_TTL_MS);
      await atomic.increment('counter', 1, SHORT_TTL_MS);
      await atomic.compareAndSet('swapped', undefined, 'c', SHORT_TTL_MS);
      expect(await records.get('short')).to.equal('r');
      expect(await blobs.get('short')).to.deep.equal(Buffer.from('b'));
      expect(await atomic.get('taken')).to.equal('a');

      await sleep(PAST_SHORT_TTL_MS);
      expect(await records.get('short')).to.equal(undefined);
      expect(await records.get('long')).to.equal('kept');
      expect(await blobs.get('short')).to.equal(undefined);
      for (const key of ['taken', 'counter', 'swapped']) expect(await atomic.get(key), key).to.equal(undefined);
    });

    it('refuses a TTL that is not positive, and stores nothing', async () => {
      const name = fresh('bad-ttl');
      const records = backend.namespace<string>(name);
      const atomic = backend.atomic(name);
      for (const ttl of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
        const label = `TTL ${ttl}`;
        await expectRefused(records.set('k', 'v', ttl), label);
        await expectRefused(backend.blobs(name).put('k', Buffer.from('v'), ttl), label);
        await expectRefused(atomic.takeIfFree('k', 'v', ttl), label);
        await expectRefused(atomic.compareAndSet('k', undefined, 'v', ttl), label);
        await expectRefused(atomic.increment('k', 1, ttl), label);
      }
      expect(await records.get('k')).to.equal(undefined);
      expect(await backend.blobs(name).get('k')).to.equal(undefined);
      expect(await atomic.get('k')).to.equal(undefined);
    });
  });

  describe('blobs', () => {
    it('round-trips bytes exactly, every byte value included', async () => {
      const blobs = backend.blobs(fresh('blobs'));
      const everyByte = Buffer.from(Array.from({ length: 256 }, (_, value) => value));
      const large = randomBytes(1024 * 1024);
      await blobs.put('every-byte', everyByte, 60);
      await blobs.put('large', large, 60);
      await blobs.put('empty', Buffer.alloc(0), 60);
      expect((await blobs.get('every-byte'))?.equals(everyByte)).to.equal(true);
      expect((await blobs.get('large'))?.equals(large)).to.equal(true);
      expect((await blobs.get('empty'))?.length).to.equal(0);
    });

    it('replaces and deletes blobs, and keeps what was stored when the caller reuses its buffer', async () => {
      const blobs = backend.blobs(fresh('blob-updates'));
      const buffer = Buffer.from('first');
      await blobs.put('k', buffer, 60);
      buffer.write('XXXXX');
      expect((await blobs.get('k'))?.toString()).to.equal('first');
      await blobs.put('k', Buffer.from('second'), 60);
      expect((await blobs.get('k'))?.toString()).to.equal('second');
      expect(await blobs.delete('k')).to.equal(true);
      expect(await blobs.get('k')).to.equal(undefined);
      expect(await blobs.delete('k')).to.equal(false);
    });
  });

  describe('atomic operations', () => {
    it('takeIfFree: exactly one of 50 concurrent callers wins, and the key is free again after its TTL', async () => {
      const name = fresh('take');
      const attempts = await Promise.all(
        Array.from({ length: CONCURRENT_CALLERS }, (_, index) =>
          peer(index).atomic(name).takeIfFree('slot', `caller-${index}`, SHORT_TTL_MS),
        ),
      );
      const winners = attempts.flatMap((won, index) => (won ? [`caller-${index}`] : []));
      expect(winners).to.have.length(1);
      expect(await backend.atomic(name).get('slot')).to.equal(winners[0]);
      expect(await backend.atomic(name).takeIfFree('slot', 'late', SHORT_TTL_MS)).to.equal(false);

      await sleep(PAST_SHORT_TTL_MS);
      expect(await backend.atomic(name).takeIfFree('slot', 'after-expiry', 60_000)).to.equal(true);
      expect(await backend.atomic(name).get('slot')).to.equal('after-expiry');
    });

    it('compareAndSet: swaps only from the expected value, absent included, and deletes with next undefined', async () => {
      const atomic = backend.atomic(fresh('cas'));
      expect(await atomic.compareAndSet('k', 'something', 'a', 60_000), 'expected a value, key absent').to.equal(false);
      expect(await atomic.compareAndSet('k', undefined, 'a', 60_000), 'expected absent').to.equal(true);
      expect(await atomic.compareAndSet('k', undefined, 'b', 60_000), 'expected absent, key present').to.equal(false);
      expect(await atomic.compareAndSet('k', 'wrong', 'b', 60_000), 'wrong expected value').to.equal(false);
      expect(await atomic.get('k')).to.equal('a');
      expect(await atomic.compareAndSet('k', 'a', 'b', 60_000), 'expected value').to.equal(true);
      expect(await atomic.get('k')).to.equal('b');
      expect(await atomic.compareAndSet('k', 'a', undefined, 60_000), 'delete from a stale value').to.equal(false);
      expect(await atomic.compareAndSet('k', 'b', undefined, 60_000), 'delete').to.equal(true);
      expect(await atomic.get('k')).to.equal(undefined);
    });

    it('compareAndSet: sets the TTL given with each swap', async () => {
      const atomic = backend.atomic(fresh('cas-ttl'));
      await atomic.compareAndSet('k', undefined, 'short', SHORT_TTL_MS);
      await atomic.compareAndSet('kept', undefined, 'v1', SHORT_TTL_MS);
      await atomic.compareAndSet('kept', 'v1', 'v2', 60_000);
      await sleep(PAST_SHORT_TTL_MS);
      expect(await atomic.get('k')).to.equal(undefined);
      expect(await atomic.get('kept')).to.equal('v2');
    });

    it('compareAndSet: exactly one of 50 concurrent swaps from the same value wins', async () => {
      const name = fresh('cas-race');
      await backend.atomic(name).compareAndSet('k', undefined, 'start', 60_000);
      const swaps = await Promise.all(
        Array.from({ length: CONCURRENT_CALLERS }, (_, index) =>
          peer(index).atomic(name).compareAndSet('k', 'start', `caller-${index}`, 60_000),
        ),
      );
      const winners = swaps.flatMap((won, index) => (won ? [`caller-${index}`] : []));
      expect(winners).to.have.length(1);
      expect(await backend.atomic(name).get('k')).to.equal(winners[0]);
    });

    it('increment: concurrent increments never lose a count', async () => {
      const name = fresh('counter');
      const perCaller = 4;
      const results = await Promise.all(
        Array.from({ length: CONCURRENT_CALLERS * perCaller }, (_, index) =>
          peer(index).atomic(name).increment('hits', 1, 60_000),
        ),
      );
      const total = CONCURRENT_CALLERS * perCaller;
      expect([...results].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: total }, (_, i) => i + 1));
      expect(await backend.atomic(name).get('hits')).to.equal(String(total));
    });

    it('increment: starts at 0, adds negative amounts, sets the TTL on creation only', async () => {
      const atomic = backend.atomic(fresh('counter-ttl'));
      expect(await atomic.increment('k', 5, SHORT_TTL_MS)).to.equal(5);
      expect(await atomic.increment('k', -7, SHORT_TTL_MS)).to.equal(-2);
      await sleep(SHORT_TTL_MS / 2);
      // A longer TTL on a later increment does not extend the counter's life.
      expect(await atomic.increment('k', 1, 60_000)).to.equal(-1);
      await sleep(PAST_SHORT_TTL_MS - SHORT_TTL_MS / 2);
      expect(await atomic.get('k')).to.equal(undefined);
      expect(await atomic.increment('k', 1, 60_000)).to.equal(1);
    });

    it('increment: refuses amounts that are not safe integers, and values that are not integers', async () => {
      const atomic = backend.atomic(fresh('counter-bad'));
      for (const by of [0.5, Number.NaN, 2 ** 60]) await expectRefused(atomic.increment('k', by, 60_000), `by ${by}`);
      expect(await atomic.get('k')).to.equal(undefined);
      await atomic.takeIfFree('word', 'not a number', 60_000);
      await expectRefused(atomic.increment('word', 1, 60_000), 'non-numeric value');
      expect(await atomic.get('word')).to.equal('not a number');
    });
  });
}

async function expectRefused(operation: Promise<unknown>, label: string): Promise<void> {
  let refused = false;
  await operation.catch(() => {
    refused = true;
  });
  expect(refused, `${label} must be refused`).to.equal(true);
}

/**
 * Tries to change a value the store was given or gave out: JSON backends hand out copies (the change succeeds and
 * does not reach the store), the memory backend freezes what it keeps (the change throws a TypeError).
 */
function attemptChange(change: () => unknown): void {
  try {
    change();
  } catch (error) {
    expect(error).to.be.instanceOf(TypeError);
  }
}

describe('storage contract', () => {
  describe('memory backend', () => {
    storageContract({ open: async () => new MemoryBackend(), peers: 1 });
  });

  describe('file backend', () => {
    let folder: string;
    before(async () => {
      folder = await tempFolder();
    });
    after(() => rm(folder, { recursive: true, force: true }));
    storageContract({ open: async () => new FileBackend({ folder }), peers: 1 });
  });

  describe('redis backend (two connections)', () => {
    const keyPrefix = redisSuite();
    storageContract({ open: () => RedisBackend.connect({ url: REDIS_URL, keyPrefix }), peers: 2 });
  });
});
