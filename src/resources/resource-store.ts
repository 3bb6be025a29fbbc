/**
 * The resource store: pools of access numbers and their reservations, with one implementation per backend family
 * (in-process for memory and file, Redis for a cluster) passing one contract suite. Every method is atomic on its
 * own: a locking number is never booked twice, a reservation is released (matched) at most once, an access code is
 * unique among the live reservations of its number. Policy (strategies, match rules, codes) lives above it.
 */
import type { NumberSet } from './access-numbers.ts';

/** A reservation as stored. Times are epoch ms of the store's clock (Redis server time on Redis). */
export interface StoredReservation {
  readonly id: string;
  readonly group: string;
  readonly number: string;
  readonly code?: string;
  /** The phone number the customer calls from, normalised. */
  readonly ani?: string;
  readonly serviceId: string;
  readonly dataId?: string;
  /** Booked in a locking group: the number was held by this reservation alone. */
  readonly locking: boolean;
  readonly createdAt: number;
  readonly expiresAt: number;
}

/**
 * Builds a reservation with every field present (absent optional ones undefined), so every reservation has one
 * shape, whichever backend and whichever path (booking, restart, Redis) made it.
 */
export function storedReservation(fields: StoredReservation): StoredReservation {
  return {
    id: fields.id,
    group: fields.group,
    number: fields.number,
    code: fields.code,
    ani: fields.ani,
    serviceId: fields.serviceId,
    dataId: fields.dataId,
    locking: fields.locking,
    createdAt: fields.createdAt,
    expiresAt: fields.expiresAt,
  };
}

/** What names a reservation to release: its id and the service holding it (the local store finds it by service). */
export type ReservationRef = Pick<StoredReservation, 'id' | 'serviceId'>;

/** The numbers of a group as the store needs them. */
export interface PoolDefinition {
  readonly group: string;
  readonly locking: boolean;
  readonly numbers: NumberSet;
}

/** One booking attempt. */
export interface BookingRequest {
  /** Id of the new reservation. */
  readonly id: string;
  readonly group: string;
  /** Locking: undefined, the store takes a free number. Shared strategies: the number the strategy chose. */
  readonly number?: string;
  readonly locking: boolean;
  readonly serviceId: string;
  readonly dataId?: string;
  readonly ani?: string;
  /** Candidate access codes, tried in order; empty when no code is wanted. */
  readonly codes: readonly string[];
  /** How long the booking is held. */
  readonly ttlMs: number;
}

/** What a booking attempt gave. */
export type BookingResult =
  | { readonly outcome: 'booked'; readonly reservation: StoredReservation }
  /** Locking pool with no free number; the earliest booking ends in `retryAfterMs`. */
  | { readonly outcome: 'exhausted'; readonly retryAfterMs: number }
  /** Every candidate code is in use on the number. */
  | { readonly outcome: 'codes-taken' }
  /** The group has no pool, or the chosen number left it (a reload happened meanwhile). */
  | { readonly outcome: 'not-in-pool' };

/** The live reservations a call to `number` could belong to, found through indexes (never by scanning). */
export interface MatchCandidates {
  /** The reservation holding the given code on the number. */
  readonly byCode?: StoredReservation;
  /** Reservations made for the given caller number on the number (most recent last). */
  readonly byAni: readonly StoredReservation[];
  /** The locking reservation holding the number, if any. */
  readonly holder?: StoredReservation;
}

/** Counters and a page of live reservations of a group. */
export interface PoolState {
  readonly total: number;
  readonly available: number;
  readonly reserved: number;
  /** Soonest to expire first. */
  readonly reservations: readonly StoredReservation[];
}

/** Pools and reservations on one backend. */
export interface ResourceStore {
  /** Makes the pool of a group hold exactly `pool.numbers`; live reservations of every number are kept. */
  syncPool(pool: PoolDefinition): Promise<void>;
  /** Removes a group's pool (its live reservations stay until matched, released or expired). */
  dropPool(group: string): Promise<void>;
  /** Books a number; atomic. */
  book(request: BookingRequest): Promise<BookingResult>;
  /** The next value of a group's round-robin counter (0, 1, 2, ...), shared by every process of the backend. */
  nextIndex(group: string): Promise<number>;
  /** Live reservations a call could belong to. */
  candidates(number: string, by: { code?: string; ani?: string }): Promise<MatchCandidates>;
  /** Releases reservations; returns those this call released (a reservation is released once, by one caller). */
  release(reservations: readonly ReservationRef[]): Promise<StoredReservation[]>;
  /** Releases every reservation of a service; returns those this call released. */
  releaseService(serviceId: string): Promise<StoredReservation[]>;
  /**
   * The live reservations holding any of `numbers`, whatever their group (the admin API asks before it removes
   * numbers, so it can name who holds them or release them).
   */
  reservationsOn(numbers: NumberSet): Promise<StoredReservation[]>;
  /** Counters of a group and a page of its live reservations. */
  poolState(group: string, page: { offset: number; limit: number }): Promise<PoolState>;
  /** Stops timers; the backend's connections are closed by the backend. */
  close(): Promise<void>;
}
