/**
 * The resource store of the in-process backends (memory and file). Every method runs to completion without an
 * `await`, so it is atomic within the one process that owns the backend (the file backend's lock file guarantees
 * there is only one). Reservations are written to the backend's synchronous store, which the file backend journals,
 * so they survive a restart; the indexes are rebuilt from them at start-up.
 */
import FlatQueue from 'flatqueue';
import type { MemorySyncStore } from '../storage/sync-store.ts';
import { LocalPool } from './local-pool.ts';
import {
  type BookingRequest,
  type BookingResult,
  compactReservation,
  type MatchCandidates,
  type PoolDefinition,
  type PoolState,
  type ResourceStore,
  type StoredReservation,
} from './resource-store.ts';

/** Key prefix of reservations in the backend's store. */
const KEY = 'resources:r:';

/** The live reservations of one group, and a heap of their expiry times. */
interface GroupReservations {
  readonly ids: Set<string>;
  readonly expiry: FlatQueue<string>;
}

const pairKey = (number: string, value: string) => `${number}\u0000${value}`;

function addTo(index: Map<string, Set<string>>, key: string, id: string): number {
  let set = index.get(key);
  if (!set) {
    set = new Set();
    index.set(key, set);
  }
  set.add(id);
  return set.size;
}

function removeFrom(index: Map<string, Set<string>>, key: string, id: string): number {
  const set = index.get(key);
  if (!set) return 0;
  set.delete(id);
  if (set.size === 0) index.delete(key);
  return set.size;
}

/** ResourceStore over the backend's in-process synchronous store. */
export class LocalResourceStore implements ResourceStore {
  private readonly pools = new Map<string, LocalPool>();
  private readonly reservations = new Map<string, StoredReservation>();
  private readonly byNumber = new Map<string, Set<string>>();
  private readonly byCode = new Map<string, string>();
  private readonly byAni = new Map<string, Set<string>>();
  private readonly holders = new Map<string, string>();
  private readonly byService = new Map<string, Set<string>>();
  private readonly byGroup = new Map<string, GroupReservations>();
  private readonly counters = new Map<string, number>();
  private readonly isBusy = (number: string) => this.byNumber.has(number);

  constructor(
    private readonly store: MemorySyncStore<string>,
    private readonly now: () => number = Date.now,
  ) {
    const time = now();
    for (const [key, entry] of store.liveEntries()) {
      if (!key.startsWith(KEY)) continue;
      const reservation = JSON.parse(entry.value) as StoredReservation;
      if (reservation.expiresAt > time) this.index(reservation);
    }
  }

  async syncPool(pool: PoolDefinition): Promise<void> {
    this.expire();
    this.pools.set(pool.group, new LocalPool(pool, this.isBusy, this.byNumber.keys()));
  }

  async dropPool(group: string): Promise<void> {
    this.pools.delete(group);
  }

  async book(request: BookingRequest): Promise<BookingResult> {
    const now = this.expire();
    const pool = this.pools.get(request.group);
    if (!pool) return { outcome: 'not-in-pool' };
    let number = request.number;
    if (request.locking) {
      number = pool.takeFree(this.isBusy);
      if (number === undefined) {
        const earliest = this.byGroup.get(request.group)?.expiry.peekValue() ?? now;
        return { outcome: 'exhausted', retryAfterMs: Math.max(0, earliest - now) };
      }
    } else if (number === undefined || !pool.definition.numbers.has(number)) {
      return { outcome: 'not-in-pool' };
    }
    const taken = number;
    const code = request.codes.find((candidate) => !this.byCode.has(pairKey(taken, candidate)));
    if (request.codes.length > 0 && code === undefined) {
      if (request.locking) pool.giveBack(taken);
      return { outcome: 'codes-taken' };
    }
    const reservation = compactReservation({
      id: request.id,
      group: request.group,
      number: taken,
      code,
      ani: request.ani,
      serviceId: request.serviceId,
      dataId: request.dataId,
      locking: request.locking,
      createdAt: now,
      expiresAt: now + request.ttlMs,
    });
    this.store.write(KEY + reservation.id, JSON.stringify(reservation), reservation.expiresAt);
    this.index(reservation);
    return { outcome: 'booked', reservation };
  }

  async nextIndex(group: string): Promise<number> {
    const next = this.counters.get(group) ?? 0;
    this.counters.set(group, next + 1);
    return next;
  }

  async candidates(number: string, by: { code?: string; ani?: string }): Promise<MatchCandidates> {
    this.expire();
    const live = (id: string | undefined) => (id === undefined ? undefined : this.reservations.get(id));
    const byCode = by.code === undefined ? undefined : live(this.byCode.get(pairKey(number, by.code)));
    const aniIds = by.ani === undefined ? undefined : this.byAni.get(pairKey(number, by.ani));
    const byAni = [...(aniIds ?? [])]
      .map((id) => this.reservations.get(id))
      .filter((reservation) => reservation !== undefined)
      .sort((a, b) => a.createdAt - b.createdAt);
    return { byCode, byAni, holder: live(this.holders.get(number)) };
  }

  async release(ids: readonly string[]): Promise<StoredReservation[]> {
    this.expire();
    const released: StoredReservation[] = [];
    for (const id of ids) {
      const reservation = this.reservations.get(id);
      if (!reservation) continue;
      this.unindex(reservation);
      this.store.remove(KEY + id);
      released.push(reservation);
    }
    return released;
  }

  async releaseService(serviceId: string): Promise<StoredReservation[]> {
    return this.release([...(this.byService.get(serviceId) ?? [])]);
  }

  async poolState(group: string, page: { offset: number; limit: number }): Promise<PoolState> {
    this.expire();
    const pool = this.pools.get(group);
    const ids = this.byGroup.get(group)?.ids ?? new Set<string>();
    const reservations = [...ids]
      .map((id) => this.reservations.get(id))
      .filter((reservation) => reservation !== undefined)
      .sort((a, b) => a.expiresAt - b.expiresAt)
      .slice(page.offset, page.offset + page.limit);
    const total = pool?.definition.numbers.size ?? 0;
    return { total, available: total - (pool?.busy ?? 0), reserved: ids.size, reservations };
  }

  async close(): Promise<void> {
    // Nothing to stop: expiry is processed on each call, and the backend owns (and closes) the store.
  }

  /** Drops every reservation whose booking ended; returns the time used. */
  private expire(): number {
    const now = this.now();
    for (const group of this.byGroup.values()) {
      while (group.expiry.length > 0 && (group.expiry.peekValue() ?? now) <= now) {
        const reservation = this.reservations.get(group.expiry.pop() ?? '');
        // The heap also holds released reservations; only a live one whose booking ended is dropped here.
        if (reservation && reservation.expiresAt <= now) this.unindex(reservation);
      }
    }
    return now;
  }

  private index(reservation: StoredReservation): void {
    const { id, number } = reservation;
    this.reservations.set(id, reservation);
    if (addTo(this.byNumber, number, id) === 1) {
      const pool = this.poolOf(reservation);
      if (pool) pool.busy++;
    }
    if (reservation.code !== undefined) this.byCode.set(pairKey(number, reservation.code), id);
    if (reservation.ani !== undefined) addTo(this.byAni, pairKey(number, reservation.ani), id);
    if (reservation.locking) this.holders.set(number, id);
    addTo(this.byService, reservation.serviceId, id);
    let group = this.byGroup.get(reservation.group);
    if (!group) {
      group = { ids: new Set(), expiry: new FlatQueue<string>() };
      this.byGroup.set(reservation.group, group);
    }
    group.ids.add(id);
    group.expiry.push(id, reservation.expiresAt);
  }

  private unindex(reservation: StoredReservation): void {
    const { id, number } = reservation;
    this.reservations.delete(id);
    if (reservation.code !== undefined && this.byCode.get(pairKey(number, reservation.code)) === id) {
      this.byCode.delete(pairKey(number, reservation.code));
    }
    if (reservation.ani !== undefined) removeFrom(this.byAni, pairKey(number, reservation.ani), id);
    if (this.holders.get(number) === id) this.holders.delete(number);
    removeFrom(this.byService, reservation.serviceId, id);
    this.byGroup.get(reservation.group)?.ids.delete(id);
    if (removeFrom(this.byNumber, number, id) === 0) {
      const pool = this.poolOf(reservation);
      if (pool) {
        pool.busy--;
        pool.giveBack(number);
      }
    }
  }

  /** The pool that holds the reservation's number now (normally its own group's). */
  private poolOf(reservation: StoredReservation): LocalPool | undefined {
    const own = this.pools.get(reservation.group);
    if (own?.definition.numbers.has(reservation.number)) return own;
    for (const pool of this.pools.values()) if (pool.definition.numbers.has(reservation.number)) return pool;
    return undefined;
  }
}
