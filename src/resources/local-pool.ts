/**
 * The in-process pool of one group: how many of its numbers are busy and, for `locking`, a queue of free numbers,
 * so a booking takes the number that has been free the longest in O(1) instead of scanning the pool.
 */
import type { PoolDefinition } from './resource-store.ts';

/** One group's numbers in the local store. */
export class LocalPool {
  /** Numbers of the pool with at least one live reservation. */
  busy = 0;
  private free: string[] = [];
  private head = 0;

  /** Builds the pool; `isBusy` tells whether a number has a live reservation (in any group). */
  constructor(
    readonly definition: PoolDefinition,
    isBusy: (number: string) => boolean,
    busyNumbers: Iterable<string>,
  ) {
    for (const number of busyNumbers) if (definition.numbers.has(number)) this.busy++;
    if (definition.locking) {
      for (const number of definition.numbers) if (!isBusy(number)) this.free.push(number);
    }
  }

  /** Takes the free number that waited longest (locking pools); undefined when none is free. */
  takeFree(isBusy: (number: string) => boolean): string | undefined {
    while (this.head < this.free.length) {
      const number = this.free[this.head++];
      if (this.head > 1024 && this.head * 2 > this.free.length) {
        // Drop the consumed front now and then so the array does not grow with every booking.
        this.free = this.free.slice(this.head);
        this.head = 0;
      }
      if (number !== undefined && !isBusy(number)) return number;
    }
    return undefined;
  }

  /** Puts a number that became free at the back of the queue (locking pools). */
  giveBack(number: string): void {
    if (this.definition.locking) this.free.push(number);
  }
}
