/**
 * The access numbers of a resource group, kept as segments (a single number is a segment of one), so a pool of
 * 100,000 numbers written as one `range1 = 6504664100-6504664199...` line costs a few objects, not 100,000 strings.
 * Numbers are strings of digits with an optional leading `+`; leading zeros count (`0123` and `123` differ).
 */
import { createHash } from 'node:crypto';

/** A run of consecutive numbers of the same width, from one option of the section. */
export interface NumberSegment {
  /** The option that declared it (`dnis1`, `range1`). */
  readonly option: string;
  /** Whether the numbers start with `+`. */
  readonly plus: boolean;
  /** Digits of every number of the segment (leading zeros included). */
  readonly width: number;
  readonly first: bigint;
  readonly last: bigint;
}

const SINGLE = /^(\+?)(\d{1,20})$/;
const PLUS = 0x2b;
const ZERO = 0x30;
const RANGE = /^(\+?)(\d{1,20})\s*-\s*(\+?)(\d{1,20})$/;

/** Parses an option value: one number or `first-last`; returns the segment or the rule it breaks. */
export function parseNumberOption(option: string, value: string): NumberSegment | { rule: string } {
  const text = value.trim();
  const single = SINGLE.exec(text);
  if (single) {
    const digits = single[2] ?? '';
    return { option, plus: single[1] === '+', width: digits.length, first: BigInt(digits), last: BigInt(digits) };
  }
  const range = RANGE.exec(text);
  if (!range) {
    return {
      rule: `must be an access number (digits, optionally starting with +) or a range first-last, got "${value}"`,
    };
  }
  const [, plusA, firstDigits = '', plusB, lastDigits = ''] = range;
  if (plusA !== plusB || firstDigits.length !== lastDigits.length) {
    return { rule: `range ${text}: both ends must have the same number of digits (and the same + sign)` };
  }
  const first = BigInt(firstDigits);
  const last = BigInt(lastDigits);
  if (first > last) return { rule: `range ${text}: the first number must not be greater than the last` };
  return { option, plus: plusA === '+', width: firstDigits.length, first, last };
}

/** Number of access numbers of a segment. */
export function segmentSize(segment: NumberSegment): number {
  return Number(segment.last - segment.first) + 1;
}

/** Writes the number at `value` of a segment's numbering. */
function format(segment: NumberSegment, value: bigint | number): string {
  return `${segment.plus ? '+' : ''}${value.toString().padStart(segment.width, '0')}`;
}

/** The ordered, de-duplicated access numbers of one group. */
export class NumberSet {
  /** How many numbers. */
  readonly size: number;
  /** A digest of the numbers, equal for two sets holding the same numbers in the same order. */
  readonly fingerprint: string;
  /** Cumulative start index of each segment, for `at` by binary search. */
  private readonly offsets: number[];
  /** Each segment's first and last value as numbers (exact for widths up to 15 digits). */
  private readonly bounds: Array<readonly [number, number]>;

  constructor(readonly segments: readonly NumberSegment[]) {
    let total = 0;
    this.offsets = segments.map((segment) => {
      const start = total;
      total += segmentSize(segment);
      return start;
    });
    this.size = total;
    this.bounds = segments.map((segment) => [Number(segment.first), Number(segment.last)] as const);
    const described = segments.map((s) => `${s.plus ? '+' : ''}${s.width}:${s.first}-${s.last}`).join(',');
    this.fingerprint = createHash('sha1').update(described).digest('hex');
  }

  /** The number at position `index` (0 <= index < size). */
  at(index: number): string {
    let low = 0;
    let high = this.offsets.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.offsets[middle] ?? 0) <= index) low = middle;
      else high = middle - 1;
    }
    const segment = this.segments[low];
    if (!segment || index < 0 || index >= this.size) throw new RangeError(`no access number at index ${index}`);
    const offset = index - (this.offsets[low] ?? 0);
    // Exact as a double up to 15 digits, and a booking's hot path: no BigInt arithmetic there.
    return format(
      segment,
      segment.width <= 15 ? (this.bounds[low]?.[0] ?? 0) + offset : segment.first + BigInt(offset),
    );
  }

  /**
   * Whether `number` is one of the set. A booking checks it, so numbers of up to 15 digits are read digit by digit
   * into a double (exact there) and compared with the segments in one loop: no regular expression, no BigInt.
   */
  has(number: string): boolean {
    const plus = number.charCodeAt(0) === PLUS;
    const width = number.length - (plus ? 1 : 0);
    if (width < 1 || width > 20) return false;
    if (width > 15) return this.hasLong(number, plus, width);
    let value = 0;
    for (let at = plus ? 1 : 0; at < number.length; at++) {
      const digit = number.charCodeAt(at) - ZERO;
      if (digit < 0 || digit > 9) return false;
      value = value * 10 + digit;
    }
    for (let index = 0; index < this.segments.length; index++) {
      const segment = this.segments[index];
      const bounds = this.bounds[index];
      if (segment === undefined || bounds === undefined) continue;
      if (segment.plus === plus && segment.width === width && bounds[0] <= value && value <= bounds[1]) return true;
    }
    return false;
  }

  /** `has` for numbers of 16 to 20 digits, in BigInt. */
  private hasLong(number: string, plus: boolean, width: number): boolean {
    const digits = plus ? number.slice(1) : number;
    if (!/^\d+$/.test(digits)) return false;
    const value = BigInt(digits);
    return this.segments.some((s) => s.plus === plus && s.width === width && s.first <= value && value <= s.last);
  }

  /** Every number, in order. */
  *[Symbol.iterator](): IterableIterator<string> {
    for (const segment of this.segments) {
      for (let value = segment.first; value <= segment.last; value++) yield format(segment, value);
    }
  }
}

/** A segment with where it was declared, for overlap messages. */
export interface PlacedSegment {
  readonly group: string;
  readonly segment: NumberSegment;
}

/** Pairs of segments that share at least one number (sorted sweep: no number is enumerated). */
export function findOverlaps(
  placed: readonly PlacedSegment[],
): Array<{ earlier: PlacedSegment; later: PlacedSegment; number: string }> {
  const key = (p: PlacedSegment) => `${p.segment.plus ? '+' : ''}${String(p.segment.width).padStart(3, '0')}`;
  const sorted = [...placed].sort((a, b) => {
    const byKind = key(a).localeCompare(key(b));
    if (byKind !== 0) return byKind;
    return a.segment.first < b.segment.first ? -1 : a.segment.first > b.segment.first ? 1 : 0;
  });
  const overlaps: Array<{ earlier: PlacedSegment; later: PlacedSegment; number: string }> = [];
  let widest: PlacedSegment | undefined;
  for (const current of sorted) {
    if (widest && key(widest) === key(current) && current.segment.first <= widest.segment.last) {
      overlaps.push({ earlier: widest, later: current, number: format(current.segment, current.segment.first) });
    }
    if (!widest || key(widest) !== key(current) || current.segment.last > widest.segment.last) widest = current;
  }
  return overlaps;
}
