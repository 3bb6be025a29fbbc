/**
 * Ids of what the engine stores (service instances, user data records, reservations): random version 4 UUIDs, the
 * same text `crypto.randomUUID()` gives, built so that the string is flat.
 *
 * Why not `randomUUID()` itself: Node builds its result by adding 20 pieces, and V8 keeps such a sum as a tree of
 * about 14 string objects (about 500 bytes) until something reads it as a whole. An id lives as long as what it
 * names, so each live service carried several such trees: a third of the engine's heap under load, copied by every
 * garbage collection. Here the 36 characters are written into a buffer and read out as one string in one call.
 */
import { randomFillSync } from 'node:crypto';

/** Random bytes drawn at once, 16 per id: one call into the system's generator serves 256 ids. */
const entropy = Buffer.alloc(16 * 256);
let nextByte = entropy.length;
/** The text of the id being built. */
const text = Buffer.alloc(36);
/** The two hex digits of every byte value, as character codes. */
const HEX_DIGITS = Buffer.from(Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0')).join(''));
/** Where the dashes go in the text (before bytes 4, 6, 8 and 10). */
const DASH = 0x2d;

/** A new random id, formatted like `crypto.randomUUID()` (version 4, RFC 9562 variant). */
export function newId(): string {
  if (nextByte === entropy.length) {
    randomFillSync(entropy);
    nextByte = 0;
  }
  const start = nextByte;
  nextByte += 16;
  let at = 0;
  for (let index = 0; index < 16; index++) {
    if (index === 4 || index === 6 || index === 8 || index === 10) text[at++] = DASH;
    let byte = entropy[start + index] ?? 0;
    if (index === 6)
      byte = (byte & 0x0f) | 0x40; // version 4
    else if (index === 8) byte = (byte & 0x3f) | 0x80; // variant 10xx
    text[at++] = HEX_DIGITS[byte * 2] ?? 0;
    text[at++] = HEX_DIGITS[byte * 2 + 1] ?? 0;
  }
  return text.toString('latin1', 0, 36);
}
