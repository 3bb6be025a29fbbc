/**
 * Access codes: random digits whose first digit comes from `[server] access_code_prefix` (a digit, or a range such
 * as `7-9`, so each node of a cluster can issue its own codes). Codes are drawn with the CSPRNG because a code is an
 * authentication factor. The store decides uniqueness; this only proposes candidates.
 */
import { randomInt } from 'node:crypto';

/** Default `_access_code_length`. */
export const DEFAULT_CODE_LENGTH = 6;
/** Longest code accepted. */
export const MAX_CODE_LENGTH = 12;
/** How many candidates one booking attempt offers the store (codes rarely clash; the manager retries if they do). */
const CANDIDATES = 3;

/** The first digits allowed by a prefix option (empty for every digit, `7` for 7, `7-9` for 7, 8 and 9). */
export function firstDigits(prefix: string): number[] {
  const match = /^([0-9])(?:-([0-9]))?$/.exec(prefix.trim());
  if (!match) return [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const low = Number(match[1]);
  const high = Number(match[2] ?? match[1]);
  const digits: number[] = [];
  for (let digit = Math.min(low, high); digit <= Math.max(low, high); digit++) digits.push(digit);
  return digits;
}

/** Distinct candidate codes of `length` digits, in random order; fewer when the code space is smaller. */
export function codeCandidates(length: number, prefix: string): string[] {
  const first = firstDigits(prefix);
  const space = first.length * 10 ** (length - 1);
  const wanted = Math.min(CANDIDATES, space);
  const codes = new Set<string>();
  while (codes.size < wanted) {
    const rest = length > 1 ? String(randomInt(10 ** (length - 1))).padStart(length - 1, '0') : '';
    codes.add(`${first[randomInt(first.length)]}${rest}`);
  }
  return [...codes];
}
