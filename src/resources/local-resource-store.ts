/**
 * The resource store of the in-process backends (memory and file). Every method runs to completion without an
 * `await`, so it is atomic within the one process that owns the backend (the file backend's lock file guarantees
 * there is only one). Reservations are written to the backend's synchronous store, which the file backend journals,
 * so they survive a restart; the indexes are rebuilt from them at start-up.
 */
import { ExpiryQueue } from '../storage/expiry-queue.ts';
import type { MemorySyncStore } from '../storage/sync-store.ts';
import type { NumberSet } from './access-numbers.ts';
import { LocalPool } from './local-pool.ts';
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

/** Key prefix of reservations in the backend's store. */
const KEY = 'resources:r:';

/** How many live reservations a group has, and their end times in order. */
interface GroupReservations {
  reserved: number;
  readonly expiry: ExpiryQueue<StoredReservation>;
}

/** Options of the local store. */
export interface LocalStoreOptions {
  /** Write reservations to the backend's store so they survive a restart (file backend). */
  readonly persistent: boolean;
  /** The clock (tests may replace it). */
  readonly now?: () => number;
}

/**
 * The live reservations of one access number, with the indexes a match and a booking look up on that number. One
 * record per number, so a booking or a match finds everything about its number with one look-up, and no key is ever
 * built by joining a number with a code or a caller. The indexes hold the reservations themselves, so a match reads
 * them without a second look-up by id.
 */
interface NumberReservations {
  /** How many live reservations hold the number (a shared number may hold thousands). */
  count: number;
  /** The reservation holding the number alone (locking groups). */
  holder?: StoredReservation;
  /** Reservation by access code, created on the first code. */
  byCode?: Map<string, StoredReservation>;
  /** Reservations by caller number, oldest first, created on the first caller. */
  byAni?: Map<string, StoredReservation[]>;
}

/**
 * What a service holds: its one reservation (request-interaction books one), or a list once request-access adds
 * more. Most services hold one, so most cost no array.
 */
type ServiceReservations = StoredReservation | StoredReservation[];

function listOf(held: ServiceReservations | undefined): readonly StoredReservation[] {
  if (held === undefined) return [];
  return Array.isArray(held) ? held : [held];
}

/** Appends to a small list index (a caller rarely holds more than one reservation on a number). */
function push(index: Map<string, StoredReservation[]>, key: string, reservation: StoredReservation): void {
  const list = index.get(key);
  if (list) list.push(reservation);
  else index.set(key, [reservation]);
}

/** Removes from a list index; reservations end mostly in the order they were made, so it is mostly the first. */
function pull(index: Map<string, StoredReservation[]>, key: string, reservation: StoredReservation): void {
  const list = index.get(key);
  if (!list) return;
  const at = list.indexOf(reservation);
  if (at === 0) list.shift();
  else if (at > 0) list.splice(at, 1);
  if (list.length === 0) index.delete(key);
}

/** When a booking ends, for the expiry queue. */
function endOfBooking(reservation: StoredReservation): number {
  return reservation.expiresAt;
}

/** ResourceStore over the backend's in-process synchronous store. */
export class LocalResourceStore implements ResourceStore {
  private readonly pools = new Map<string, LocalPool>();
  /** The numbers with at least one live reservation. */
  private readonly byNumber = new Map<string, NumberReservations>();
  /**
   * Every live reservation, by the service holding it. It is also the index by id (a release names the service),
   * so a booking costs one entry in a map as large as the live services, not two.
   */
  private readonly byService = new Map<string, ServiceReservations>();
  private readonly byGroup = new Map<string, GroupReservations>();
  private readonly counters = new Map<string, number>();
  private readonly isBusy = (number: string) => this.byNumber.has(number);
  private readonly now: () => number;

  constructor(
    private readonly store: MemorySyncStore<string>,
    private readonly options: LocalStoreOptions,
  ) {
    this.now = options.now ?? Date.now;
    const time = this.now();
    const restored: StoredReservation[] = [];
    for (const [key, entry] of store.liveEntries()) {
      if (!key.startsWith(KEY)) continue;
      const reservation = storedReservation(JSON.parse(entry.value) as StoredReservation);
      if (reservation.expiresAt > time) restored.push(reservation);
    }
    // Indexed in the order they were made, as they were before the restart (match prefers the oldest caller's).
    restored.sort((a, b) => a.createdAt - b.createdAt);
    for (const reservation of restored) this.index(reservation, undefined);
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
        const earliest = this.byGroup.get(request.group)?.expiry.peekTime() ?? now;
        return { outcome: 'exhausted', retryAfterMs: Math.max(0, earliest - now) };
      }
    } else if (number === undefined || !pool.definition.numbers.has(number)) {
      return { outcome: 'not-in-pool' };
    }
    const taken = number;
    const codes = this.byNumber.get(taken)?.byCode;
    const code = codes ? request.codes.find((candidate) => !codes.has(candidate)) : request.codes[0];
    if (request.codes.length > 0 && code === undefined) {
      if (request.locking) pool.giveBack(taken);
      return { outcome: 'codes-taken' };
    }
    const reservation: StoredReservation = {
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
    };
    if (this.options.persistent) {
      this.store.write(KEY + reservation.id, JSON.stringify(reservation), reservation.expiresAt);
    }
    this.index(reservation, pool);
    return { outcome: 'booked', reservation };
  }

  async nextIndex(group: string): Promise<number> {
    const next = this.counters.get(group) ?? 0;
    this.counters.set(group, next + 1);
    return next;
  }

  async candidates(number: string, by: { code?: string; ani?: string }): Promise<MatchCandidates> {
    this.expire();
    const onNumber = this.byNumber.get(number);
    const byCode = by.code === undefined ? undefined : onNumber?.byCode?.get(by.code);
    const byAni = by.ani === undefined ? undefined : onNumber?.byAni?.get(by.ani);
    // A copy, oldest first: the list is the store's own and changes with the next booking or release.
    return { byCode, byAni: byAni ? [...byAni] : [], holder: onNumber?.holder };
  }

  async release(reservations: readonly ReservationRef[]): Promise<StoredReservation[]> {
    this.expire();
    const released: StoredReservation[] = [];
    for (const { id, serviceId } of reservations) {
      const reservation = listOf(this.byService.get(serviceId)).find((held) => held.id === id);
      if (!reservation) continue;
      this.unindex(reservation);
      released.push(reservation);
    }
    return released;
  }

  async releaseService(serviceId: string): Promise<StoredReservation[]> {
    return this.release(listOf(this.byService.get(serviceId)));
  }

  async reservationsOn(numbers: NumberSet): Promise<StoredReservation[]> {
    this.expire();
    // The admin API asks this before it removes numbers: a scan of the live reservations is fine there, and only
    // they are looked at, so a group of a million numbers costs nothing extra.
    return this.live().filter((reservation) => numbers.has(reservation.number));
  }

  async poolState(group: string, page: { offset: number; limit: number }): Promise<PoolState> {
    this.expire();
    const pool = this.pools.get(group);
    // The admin page is the one place that lists a group; a scan of the live reservations is fine there.
    const reservations =
      page.limit === 0
        ? []
        : this.live()
            .filter((reservation) => reservation.group === group)
            .sort((a, b) => a.expiresAt - b.expiresAt)
            .slice(page.offset, page.offset + page.limit);
    const total = pool?.definition.numbers.size ?? 0;
    const reserved = this.byGroup.get(group)?.reserved ?? 0;
    return { total, available: total - (pool?.busy ?? 0), reserved, reservations };
  }

  async close(): Promise<void> {
    // Nothing to stop: expiry is processed on each call, and the backend owns (and closes) the store.
  }

  /** Drops every reservation whose booking ended; returns the time used. */
  private expire(): number {
    const now = this.now();
    for (const group of this.byGroup.values()) {
      // The queue also holds released reservations; only one still live is dropped here.
      for (let ended = group.expiry.popEnded(now); ended !== undefined; ended = group.expiry.popEnded(now)) {
        if (this.isLive(ended)) this.unindex(ended);
      }
    }
    return now;
  }

  /** Every live reservation (admin pages only: it lists them all). */
  private live(): StoredReservation[] {
    return [...this.byService.values()].flatMap(listOf);
  }

  /** Whether the reservation is still held (the expiry queue also holds released ones). */
  private isLive(reservation: StoredReservation): boolean {
    const held = this.byService.get(reservation.serviceId);
    return held === reservation || (Array.isArray(held) && held.includes(reservation));
  }

  /** Adds a reservation to the indexes; `pool` is the pool holding its number when the caller knows it. */
  private index(reservation: StoredReservation, pool: LocalPool | undefined): void {
    const { number, serviceId } = reservation;
    let onNumber = this.byNumber.get(number);
    if (!onNumber) {
      onNumber = { count: 0, holder: undefined, byCode: undefined, byAni: undefined };
      this.byNumber.set(number, onNumber);
      const holding = pool ?? this.poolOf(reservation);
      if (holding) holding.busy++;
    }
    onNumber.count++;
    if (reservation.code !== undefined) {
      onNumber.byCode ??= new Map();
      onNumber.byCode.set(reservation.code, reservation);
    }
    if (reservation.ani !== undefined) {
      onNumber.byAni ??= new Map();
      push(onNumber.byAni, reservation.ani, reservation);
    }
    if (reservation.locking) onNumber.holder = reservation;
    const held = this.byService.get(serviceId);
    if (held === undefined) this.byService.set(serviceId, reservation);
    else if (Array.isArray(held)) held.push(reservation);
    else this.byService.set(serviceId, [held, reservation]);
    let group = this.byGroup.get(reservation.group);
    if (!group) {
      group = { reserved: 0, expiry: new ExpiryQueue<StoredReservation>(endOfBooking) };
      this.byGroup.set(reservation.group, group);
    }
    group.reserved++;
    group.expiry.push(reservation);
  }

  private unindex(reservation: StoredReservation): void {
    const { id, number, serviceId } = reservation;
    if (this.options.persistent) this.store.remove(KEY + id);
    const held = this.byService.get(serviceId);
    if (held === reservation) this.byService.delete(serviceId);
    else if (Array.isArray(held)) {
      const rest = held.filter((other) => other !== reservation);
      if (rest.length === 0) this.byService.delete(serviceId);
      else this.byService.set(serviceId, rest.length === 1 ? (rest[0] as StoredReservation) : rest);
    }
    const group = this.byGroup.get(reservation.group);
    if (group) group.reserved--;
    const onNumber = this.byNumber.get(number);
    if (!onNumber) return;
    onNumber.count--;
    if (onNumber.count > 0) {
      if (reservation.code !== undefined && onNumber.byCode?.get(reservation.code) === reservation) {
        onNumber.byCode.delete(reservation.code);
      }
      if (reservation.ani !== undefined && onNumber.byAni) pull(onNumber.byAni, reservation.ani, reservation);
      if (onNumber.holder === reservation) onNumber.holder = undefined;
      return;
    }
    // Its last reservation gone, the number's record goes with every index in it.
    this.byNumber.delete(number);
    const pool = this.poolOf(reservation);
    if (pool) {
      pool.busy--;
      pool.giveBack(number);
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
