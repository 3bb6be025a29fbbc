/**
 * Ids of what the engine stores (service instances, user data records, reservations): random version 4 UUIDs, the
 * same text `crypto.randomUUID()` gives, built so that the string is flat and cheap.
 *
 * Why not `randomUUID()` itself: Node builds its result by adding 20 pieces, and V8 keeps such a sum as a tree of
 * about 14 string objects (about 500 bytes) until something reads it as a whole. An id lives as long as what it
 * names, so each live service carried several such trees: a third of the engine's heap under load, copied by every
 * garbage collection. Here the text of 256 ids is written into a buffer and read out as one string in one call;
 * each id is a 36-character slice of it, which V8 keeps as one small object pointing into that string. The ids of
 * one batch are made within moments of each other and mostly live about as long, so the batch string goes when they
 * go (an id kept much longer keeps its batch's 9 KB of text with it).
 */
import { randomFillSync } from 'node:crypto';

/** Ids made per batch. */
const BATCH = 256;
/** Characters of one id. */
const ID_LENGTH = 36;
/** Random bytes of a batch, 16 per id. */
const entropy = Buffer.alloc(16 * BATCH);
/** The text of a batch. */
const text = Buffer.alloc(ID_LENGTH * BATCH);
/** The two hex digits of every byte value, as character codes. */
const HEX_DIGITS = Buffer.from(Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0')).join(''));
/** Where the dashes go in the text (before bytes 4, 6, 8 and 10). */
const DASH = 0x2d;

let batch = '';
let next = BATCH;

/** Writes the text of a new batch of ids and reads it out as one string. */
function refill(): void {
  randomFillSync(entropy);
  let at = 0;
  for (let id = 0; id < BATCH; id++) {
    const start = id * 16;
    for (let index = 0; index < 16; index++) {
      if (index === 4 || index === 6 || index === 8 || index === 10) text[at++] = DASH;
      let byte = entropy[start + index] ?? 0;
      if (index === 6)
        byte = (byte & 0x0f) | 0x40; // version 4
      else if (index === 8) byte = (byte & 0x3f) | 0x80; // variant 10xx
      text[at++] = HEX_DIGITS[byte * 2] ?? 0;
      text[at++] = HEX_DIGITS[byte * 2 + 1] ?? 0;
    }
  }
  batch = text.toString('latin1');
  next = 0;
}

/** A new random id, formatted like `crypto.randomUUID()` (version 4, RFC 9562 variant). */
export function newId(): string {
  if (next === BATCH) refill();
  const start = next * ID_LENGTH;
  next++;
  return batch.slice(start, start + ID_LENGTH);
}
