import { expect } from 'chai';
import { type NumberSegment, NumberSet, parseNumberOption } from '../src/resources/access-numbers.ts';

function numberSet(...values: string[]): NumberSet {
  return new NumberSet(values.map((value, index) => parseNumberOption(`n${index}`, value) as NumberSegment));
}

describe('access number sets', () => {
  it('finds the number at each position across segments, leading zeros and + kept', () => {
    const set = numberSet('0012-0014', '+33100', '6504664131');
    expect(set.size).to.equal(5);
    expect([0, 1, 2, 3, 4].map((index) => set.at(index))).to.deep.equal([
      '0012',
      '0013',
      '0014',
      '+33100',
      '6504664131',
    ]);
  });

  it('answers at() exactly as iteration does, for numbers of up to 15 digits and beyond', () => {
    const set = numberSet('999999999999998-999999999999999', '+12345678901234567890-+12345678901234567892');
    const listed = [...set];
    expect(listed).to.deep.equal([
      '999999999999998',
      '999999999999999',
      '+12345678901234567890',
      '+12345678901234567891',
      '+12345678901234567892',
    ]);
    expect(listed.map((_, index) => set.at(index))).to.deep.equal(listed);
    for (const number of listed) expect(set.has(number)).to.equal(true);
  });

  it('tells which texts are numbers of the set: width, + and digits must match', () => {
    const set = numberSet('0012-0014', '+33100', '6504664131', '+12345678901234567890-+12345678901234567892');
    for (const number of ['0012', '0014', '+33100', '6504664131', '+12345678901234567891']) {
      expect(set.has(number), number).to.equal(true);
    }
    const outside = ['012', '00012', '0015', '33100', '+6504664131', '650466413a', '', '+', '12-3', ' 0012', '0012 '];
    for (const number of [...outside, '+12345678901234567893', '12345678901234567891', '+1234567890123456789x']) {
      expect(set.has(number), JSON.stringify(number)).to.equal(false);
    }
  });

  it('refuses a position outside the set', () => {
    const set = numberSet('100-101');
    expect(() => set.at(2)).to.throw(RangeError);
    expect(() => set.at(-1)).to.throw(RangeError);
  });
});
