/**
 * Items (stored records, bookings) in the order they end. Items written with the same time to live end in the
 * order they were written (the clock moves forward), which is nearly always the case: a namespace's records share a
 * TTL, a group's bookings its booking timeout. So they go to the back of a plain FIFO in O(1) and leave from its
 * front; only an item that ends before the last one queued (a shorter TTL) goes to a binary heap beside it. Taking
 * the earliest looks at the front of both.
 */
import FlatQueue from 'flatqueue';

/** A queue of items by end time, cheapest when they arrive in that order. */
export class ExpiryQueue<T> {
  private fifo: T[] = [];
  private head = 0;
  private readonly early = new FlatQueue<T>();

  /** `endOf` gives the epoch ms at which an item ends; it must not change while the item is queued. */
  constructor(private readonly endOf: (item: T) => number) {}

  /** How many items are queued. */
  get length(): number {
    return this.fifo.length - this.head + this.early.length;
  }

  /** Queues an item. */
  push(item: T): void {
    const last = this.fifo[this.fifo.length - 1];
    const end = this.endOf(item);
    if (this.head === this.fifo.length || last === undefined || this.endOf(last) <= end) this.fifo.push(item);
    else this.early.push(item, end);
  }

  /** The earliest end time queued, or undefined when empty. */
  peekTime(): number | undefined {
    const item = this.fifo[this.head];
    const first = item === undefined ? undefined : this.endOf(item);
    const early = this.early.peekValue();
    if (first === undefined) return early;
    return early === undefined || first <= early ? first : early;
  }

  /** Removes and returns the item ending first if it has ended by `now`; undefined when none has. */
  popEnded(now: number): T | undefined {
    const end = this.peekTime();
    return end !== undefined && end <= now ? this.pop() : undefined;
  }

  /** Removes and returns the item ending first, or undefined when empty. */
  pop(): T | undefined {
    const first = this.fifo[this.head];
    const early = this.early.peekValue();
    if (first === undefined || (early !== undefined && early < this.endOf(first))) return this.early.pop();
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
