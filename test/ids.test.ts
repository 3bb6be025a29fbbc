import assert from 'node:assert/strict';
import { newId } from '../src/ids.ts';

describe('newId', () => {
  it('gives version 4 UUIDs in the text form of crypto.randomUUID', () => {
    for (let count = 0; count < 1000; count++) {
      assert.match(newId(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('never repeats, also across refills of its random bytes (256 ids each)', () => {
    const ids = new Set(Array.from({ length: 5000 }, () => newId()));
    assert.equal(ids.size, 5000);
  });

  it('uses every hex digit in every position that is random', () => {
    const seen = Array.from({ length: 36 }, () => new Set<string>());
    for (let count = 0; count < 2000; count++) {
      for (const [position, character] of [...newId()].entries()) seen[position]?.add(character);
    }
    const random = [...Array(36).keys()].filter((position) => ![8, 13, 14, 18, 19, 23].includes(position));
    for (const position of random) assert.equal(seen[position]?.size, 16, `position ${position}`);
  });
});
