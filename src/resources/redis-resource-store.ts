/**
 * The resource store on Redis: booking, release and the match look-up are single server-side scripts (see
 * redis-resource-scripts.ts), so several engine processes sharing one Redis never give a locking number to two
 * services and never lose one. Booking a locking number is one sorted-set range query (O(log n)), never a scan.
 * Keys are computed inside the scripts, so this store needs a single Redis server (or a primary with replicas), not
 * Redis Cluster.
 */
import type { RedisClient } from '../storage/redis-client.ts';
import { runScript } from '../storage/redis-scripts.ts';
import type { NumberSet } from './access-numbers.ts';
import { ADD_NUMBERS, BOOK, CANDIDATES, ON_NUMBERS, RELEASE, STATE } from './redis-resource-scripts.ts';
import {
  type BookingRequest,
  type BookingResult,
  type MatchCandidates,
  type PoolDefinition,
  type PoolState,
  type ReservationRef,
  type ResourceStore,
  type StoredReservation,
  storedReservation,
} from './resource-store.ts';

/** Numbers sent to the server per script call when a pool is filled. */
const SYNC_CHUNK = 5000;

/** A reservation as the scripts write it (empty strings for absent values). */
interface RedisRecord {
  id: string;
  group: string;
  number: string;
  code: string;
  ani: string;
  service: string;
  data: string;
  locking: boolean;
  created: number;
  expires: number;
}

function parseRecord(raw: unknown): StoredReservation {
  const record = JSON.parse(String(raw)) as RedisRecord;
  return storedReservation({
    id: record.id,
    group: record.group,
    number: record.number,
    code: record.code === '' ? undefined : record.code,
    ani: record.ani === '' ? undefined : record.ani,
    serviceId: record.service,
    dataId: record.data === '' ? undefined : record.data,
    locking: record.locking === true,
    createdAt: record.created,
    expiresAt: record.expires,
  });
}

function asArray(reply: unknown): unknown[] {
  return Array.isArray(reply) ? reply : [];
}

/** ResourceStore on the Redis backend's connection (the backend owns and closes it). */
export class RedisResourceStore implements ResourceStore {
  private readonly prefix: string;

  constructor(
    private readonly client: RedisClient,
    keyPrefix: string,
  ) {
    this.prefix = `${keyPrefix}res:`;
  }

  async syncPool(pool: PoolDefinition): Promise<void> {
    const fingerprintKey = `${this.prefix}def:${pool.group}`;
    if ((await this.client.get(fingerprintKey)) === pool.numbers.fingerprint) return;
    const poolKey = `${this.prefix}pool:${pool.group}`;
    const present = new Set(await this.client.zRange(poolKey, 0, -1));
    const removed = [...present].filter((number) => !pool.numbers.has(number));
    for (let i = 0; i < removed.length; i += SYNC_CHUNK) {
      await this.client.zRem(poolKey, removed.slice(i, i + SYNC_CHUNK));
    }
    let chunk: string[] = [];
    for (const number of pool.numbers) {
      if (!present.has(number)) chunk.push(number);
      if (chunk.length === SYNC_CHUNK) {
        await runScript(this.client, ADD_NUMBERS, [], [this.prefix, pool.group, ...chunk]);
        chunk = [];
      }
    }
    if (chunk.length > 0) await runScript(this.client, ADD_NUMBERS, [], [this.prefix, pool.group, ...chunk]);
    await this.client.set(fingerprintKey, pool.numbers.fingerprint);
  }

  async dropPool(group: string): Promise<void> {
    await this.client.del([`${this.prefix}pool:${group}`, `${this.prefix}def:${group}`]);
  }

  async book(request: BookingRequest): Promise<BookingResult> {
    const reply = asArray(
      await runScript(
        this.client,
        BOOK,
        [],
        [
          this.prefix,
          request.group,
          request.number ?? '',
          request.id,
          Math.max(1, Math.round(request.ttlMs)),
          request.serviceId,
          request.dataId ?? '',
          request.ani ?? '',
          request.locking ? '1' : '0',
          ...request.codes,
        ],
      ),
    );
    switch (reply[0]) {
      case 'booked':
        return { outcome: 'booked', reservation: parseRecord(reply[1]) };
      case 'exhausted':
        return { outcome: 'exhausted', retryAfterMs: Math.max(0, Number(reply[1])) };
      case 'codes-taken':
        return { outcome: 'codes-taken' };
      default:
        return { outcome: 'not-in-pool' };
    }
  }

  async nextIndex(group: string): Promise<number> {
    return (await this.client.incr(`${this.prefix}rr:${group}`)) - 1;
  }

  async candidates(number: string, by: { code?: string; ani?: string }): Promise<MatchCandidates> {
    const reply = asArray(
      await runScript(this.client, CANDIDATES, [], [this.prefix, number, by.code ?? '', by.ani ?? '']),
    );
    let byCode: StoredReservation | undefined;
    let holder: StoredReservation | undefined;
    const byAni: StoredReservation[] = [];
    for (let i = 0; i + 1 < reply.length; i += 2) {
      const reservation = parseRecord(reply[i + 1]);
      if (reply[i] === 'code') byCode = reservation;
      else if (reply[i] === 'holder') holder = reservation;
      else byAni.push(reservation);
    }
    byAni.sort((a, b) => a.createdAt - b.createdAt);
    return { byCode, byAni, holder };
  }

  async release(reservations: readonly ReservationRef[]): Promise<StoredReservation[]> {
    if (reservations.length === 0) return [];
    const ids = reservations.map((reservation) => reservation.id);
    const reply = await runScript(this.client, RELEASE, [], [this.prefix, 'ids', ...ids]);
    return asArray(reply).map(parseRecord);
  }

  async releaseService(serviceId: string): Promise<StoredReservation[]> {
    const reply = await runScript(this.client, RELEASE, [], [this.prefix, 'service', serviceId]);
    return asArray(reply).map(parseRecord);
  }

  async reservationsOn(numbers: NumberSet): Promise<StoredReservation[]> {
    const found: StoredReservation[] = [];
    let chunk: string[] = [];
    const flush = async () => {
      const reply = await runScript(this.client, ON_NUMBERS, [], [this.prefix, ...chunk]);
      found.push(...asArray(reply).map(parseRecord));
      chunk = [];
    };
    for (const number of numbers) {
      chunk.push(number);
      if (chunk.length === SYNC_CHUNK) await flush();
    }
    if (chunk.length > 0) await flush();
    return found;
  }

  async poolState(group: string, page: { offset: number; limit: number }): Promise<PoolState> {
    const reply = asArray(await runScript(this.client, STATE, [], [this.prefix, group, page.offset, page.limit]));
    return {
      total: Number(reply[0] ?? 0),
      available: Number(reply[1] ?? 0),
      reserved: Number(reply[2] ?? 0),
      reservations: reply.slice(3).map(parseRecord),
    };
  }

  async close(): Promise<void> {
    // The Redis connection belongs to the storage backend, which closes it.
  }
}
