/** Atomic operations for single-process backends (memory, file), over a synchronous store: no await, no race. */
import { storedKeyPrefix } from './names.ts';
import type { SyncStore } from './sync-store.ts';
import { type AtomicOperations, checkTtlMs } from './types.ts';

/**
 * AtomicOperations of one namespace over a SyncStore. Stored keys are `<namespace>::<key>`, or the key itself when
 * the store is the namespace's own (`ownStore`: the memory backend keeps one map per namespace, so no prefixed copy
 * of every key is built).
 */
export class LocalAtomicOperations implements AtomicOperations {
  private readonly prefix: string;

  constructor(
    private readonly store: SyncStore<string>,
    namespace: string,
    options: { readonly ownStore?: boolean } = {},
  ) {
    this.prefix = storedKeyPrefix(namespace, options.ownStore === true);
  }

  async get(key: string): Promise<string | undefined> {
    return this.store.read(this.prefix + key)?.value;
  }

  async takeIfFree(key: string, value: string, ttlMs: number): Promise<boolean> {
    const ttl = checkTtlMs(ttlMs);
    const full = this.prefix + key;
    if (this.store.read(full) !== undefined) return false;
    this.store.write(full, value, Date.now() + ttl);
    return true;
  }

  async compareAndSet(
    key: string,
    expected: string | undefined,
    next: string | undefined,
    ttlMs: number,
  ): Promise<boolean> {
    const ttl = next === undefined ? 0 : checkTtlMs(ttlMs);
    const full = this.prefix + key;
    if (this.store.read(full)?.value !== expected) return false;
    if (next === undefined) this.store.remove(full);
    else this.store.write(full, next, Date.now() + ttl);
    return true;
  }

  async increment(key: string, by: number, ttlMs: number): Promise<number> {
    checkIncrement(by);
    const ttl = checkTtlMs(ttlMs);
    const full = this.prefix + key;
    const entry = this.store.read(full);
    const current = entry === undefined ? 0 : Number(entry.value);
    if (entry !== undefined && !(/^-?\d+$/.test(entry.value) && Number.isSafeInteger(current))) {
      throw new RangeError(`cannot increment key ${key}: its value "${entry.value}" is not an integer`);
    }
    const value = current + by;
    if (!Number.isSafeInteger(value)) throw new RangeError(`cannot increment key ${key}: the result overflows`);
    this.store.write(full, String(value), entry?.expires ?? Date.now() + ttl);
    return value;
  }
}

/** Refuses increments Redis would refuse too (INCRBY takes 64-bit integers; JavaScript numbers are exact to 2^53). */
export function checkIncrement(by: number): void {
  if (!Number.isSafeInteger(by)) throw new RangeError(`increment must be a safe integer, got ${by}`);
}
