/** Atomic operations for single-process backends (memory, file), over a synchronous store: no await, no race. */
import type { SyncStore } from './sync-store.ts';
import type { AtomicOperations } from './types.ts';

/** AtomicOperations over a SyncStore, keys prefixed by namespace. */
export class LocalAtomicOperations implements AtomicOperations {
  constructor(
    private readonly store: SyncStore<string>,
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return this.store.read(this.prefix + key)?.value;
  }

  async takeIfFree(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.store.read(this.prefix + key) !== undefined) return false;
    this.store.write(this.prefix + key, value, this.now() + ttlMs);
    return true;
  }

  async compareAndSet(
    key: string,
    expected: string | undefined,
    next: string | undefined,
    ttlMs: number,
  ): Promise<boolean> {
    const full = this.prefix + key;
    if (this.store.read(full)?.value !== expected) return false;
    if (next === undefined) this.store.remove(full);
    else this.store.write(full, next, this.now() + ttlMs);
    return true;
  }

  async increment(key: string, by: number, ttlMs: number): Promise<number> {
    const full = this.prefix + key;
    const entry = this.store.read(full);
    const value = Number(entry?.value ?? 0) + by;
    this.store.write(full, String(value), entry?.expires ?? this.now() + ttlMs);
    return value;
  }
}
