/**
 * A synchronous in-process map with expiry. Because a single Node process runs one callback at a time, operations
 * written against it without an `await` in the middle are atomic; the memory and file backends build their atomic
 * operations on it.
 */

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

/** How often expired entries are swept, so memory does not grow with data nobody reads again. */
const SWEEP_INTERVAL_MS = 30_000;

/** A SyncStore in memory: the base of the memory backend and the in-memory image of the file backend. */
export class MemorySyncStore<T> implements SyncStore<T> {
  protected readonly entries = new Map<string, SyncEntry<T>>();
  private readonly sweeper: NodeJS.Timeout;

  constructor() {
    this.sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
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
    this.entries.set(key, { value, expires });
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

  private sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) {
      if (entry.expires <= now) this.entries.delete(key);
    }
  }
}
