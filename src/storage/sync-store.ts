/**
 * A synchronous in-process map with expiry. Because a single Node process runs one callback at a time, operations
 * written against it without an `await` in the middle are atomic; the memory and file backends build their atomic
 * operations on it.
 */

import { ExpiryQueue } from './expiry-queue.ts';

/** One stored entry. */
export interface SyncEntry<T> {
  value: T;
  /** Epoch ms after which the entry is gone. */
  expires: number;
}

/** The synchronous map the local backends share. */
export interface SyncStore<T> {
  /** The live entry, or undefined when absent or expired (an expired entry is removed). */
  read(key: string): SyncEntry<T> | undefined;
  /** Stores an entry. */
  write(key: string, value: T, expires: number): void;
  /** Removes an entry; true when it was live. */
  remove(key: string): boolean;
}

/** How often expired entries are dropped when nothing is written (writes drop them as they go). */
const SWEEP_INTERVAL_MS = 30_000;

/** An entry as the map keeps it: with its key, so the expiry queue can remove it. */
interface KeyedEntry<T> extends SyncEntry<T> {
  readonly key: string;
}

function endOf(entry: KeyedEntry<unknown>): number {
  return entry.expires;
}

/**
 * A SyncStore in memory: the base of the memory backend and the in-memory image of the file backend. Every entry is
 * also queued by expiry, and each write first drops the entries whose time is up, so the map holds live data only:
 * a map that kept expired entries until a periodic sweep would hold up to twice the live data under steady load,
 * and every look-up in it would cost more.
 */
export class MemorySyncStore<T> implements SyncStore<T> {
  protected readonly entries = new Map<string, KeyedEntry<T>>();
  private expiry = new ExpiryQueue<KeyedEntry<T>>(endOf);
  private readonly sweeper: NodeJS.Timeout;

  constructor() {
    this.sweeper = setInterval(() => this.dropExpired(Date.now()), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  read(key: string): SyncEntry<T> | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expires <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  write(key: string, value: T, expires: number): void {
    this.dropExpired(Date.now());
    this.put(key, value, expires);
  }

  remove(key: string): boolean {
    const live = this.read(key) !== undefined;
    this.entries.delete(key);
    return live;
  }

  /** Live entries, for snapshots. */
  liveEntries(): Array<[string, SyncEntry<T>]> {
    const now = Date.now();
    return [...this.entries].filter(([, entry]) => entry.expires > now);
  }

  /** Stops the sweeper. */
  stop(): void {
    clearInterval(this.sweeper);
  }

  /** Stores an entry as it is (a journal replay restores entries with this). */
  protected put(key: string, value: T, expires: number): void {
    const entry: KeyedEntry<T> = { key, value, expires };
    this.entries.set(key, entry);
    this.expiry.push(entry);
    // A key written again and again (a counter) leaves its old entries queued until their time; rebuilding the
    // queue from the live entries now and then keeps it in proportion to the map.
    if (this.expiry.length > 2 * this.entries.size + 1024) this.rebuildQueue();
  }

  private rebuildQueue(): void {
    this.expiry = new ExpiryQueue<KeyedEntry<T>>(endOf);
    for (const entry of [...this.entries.values()].sort((a, b) => a.expires - b.expires)) this.expiry.push(entry);
  }

  private dropExpired(now: number): void {
    // The queue also holds entries replaced or removed since; only the one still in the map is dropped.
    for (let entry = this.expiry.popEnded(now); entry !== undefined; entry = this.expiry.popEnded(now)) {
      if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key);
    }
  }
}
