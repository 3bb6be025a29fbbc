/**
 * The bookings of one group in the order they end. Bookings of a group nearly always end in the order they were
 * made (one booking timeout per group, a clock that moves forward), so they go to the back of a plain FIFO in O(1)
 * and leave from its front; only a booking that ends before the last one queued (a shorter per-request timeout)
 * goes to a binary heap beside it. Taking the earliest looks at the front of both.
 */
import FlatQueue from 'flatqueue';

/** What the queue orders: anything with an end time. */
export interface Expiring {
  /** Epoch ms at which it ends. */
  readonly expiresAt: number;
}

/** A queue of items by end time, cheapest when they arrive in that order. */
export class ExpiryQueue<T extends Expiring> {
  private fifo: T[] = [];
  private head = 0;
  private readonly early = new FlatQueue<T>();

  /** How many items are queued. */
  get length(): number {
    return this.fifo.length - this.head + this.early.length;
  }

  /** Queues an item. */
  push(item: T): void {
    const last = this.fifo[this.fifo.length - 1];
    if (this.head === this.fifo.length || last === undefined || last.expiresAt <= item.expiresAt) this.fifo.push(item);
    else this.early.push(item, item.expiresAt);
  }

  /** The earliest end time queued, or undefined when empty. */
  peekTime(): number | undefined {
    const first = this.fifo[this.head]?.expiresAt;
    const early = this.early.peekValue();
    if (first === undefined) return early;
    return early === undefined || first <= early ? first : early;
  }

  /** Removes and returns the item ending first, or undefined when empty. */
  pop(): T | undefined {
    const first = this.fifo[this.head];
    const early = this.early.peekValue();
    if (first === undefined || (early !== undefined && early < first.expiresAt)) return this.early.pop();
    this.head++;
    if (this.head === this.fifo.length) {
      this.fifo = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.fifo.length) {
      // Drop the consumed front now and then, so the array does not grow with every booking.
      this.fifo = this.fifo.slice(this.head);
      this.head = 0;
    }
    return first;
  }
}
