import { expect } from 'chai';
import { ExpiryQueue } from '../src/storage/expiry-queue.ts';

interface Item {
  readonly name: string;
  readonly expiresAt: number;
}

function drain(queue: ExpiryQueue<Item>): string[] {
  const names: string[] = [];
  for (let item = queue.pop(); item !== undefined; item = queue.pop()) names.push(item.name);
  return names;
}

describe('expiry queue', () => {
  it('gives items back in the order they end when they arrive in that order', () => {
    const queue = new ExpiryQueue<Item>((item) => item.expiresAt);
    for (let index = 0; index < 3000; index++) queue.push({ name: `n${index}`, expiresAt: 1000 + index });
    expect(queue.length).to.equal(3000);
    expect(queue.peekTime()).to.equal(1000);
    const names = drain(queue);
    expect(names).to.have.lengthOf(3000);
    expect(names.slice(0, 2)).to.deep.equal(['n0', 'n1']);
    expect(names[2999]).to.equal('n2999');
    expect(queue.length).to.equal(0);
    expect(queue.peekTime()).to.equal(undefined);
  });

  it('puts an item that ends before the last one queued in its place', () => {
    const queue = new ExpiryQueue<Item>((item) => item.expiresAt);
    queue.push({ name: 'a', expiresAt: 30 });
    queue.push({ name: 'b', expiresAt: 60 });
    queue.push({ name: 'early', expiresAt: 10 });
    queue.push({ name: 'middle', expiresAt: 45 });
    queue.push({ name: 'c', expiresAt: 90 });
    expect(queue.peekTime()).to.equal(10);
    expect(drain(queue)).to.deep.equal(['early', 'a', 'middle', 'b', 'c']);
  });

  it('gives back only the items that have ended by the time asked', () => {
    const queue = new ExpiryQueue<Item>((item) => item.expiresAt);
    queue.push({ name: 'a', expiresAt: 10 });
    queue.push({ name: 'b', expiresAt: 20 });
    queue.push({ name: 'early', expiresAt: 5 });
    expect(queue.popEnded(4)).to.equal(undefined);
    expect(queue.popEnded(10)?.name).to.equal('early');
    expect(queue.popEnded(10)?.name).to.equal('a');
    expect(queue.popEnded(10)).to.equal(undefined);
    expect(queue.length).to.equal(1);
  });

  it('keeps its order while items are taken and queued in turn', () => {
    const queue = new ExpiryQueue<Item>((item) => item.expiresAt);
    const taken: number[] = [];
    for (let index = 0; index < 5000; index++) {
      // Mostly in order, every seventh item ends earlier than the ones before it.
      queue.push({ name: String(index), expiresAt: index % 7 === 0 ? index - 50 : index });
      if (index % 3 === 0) taken.push(queue.pop()?.expiresAt ?? Number.NaN);
    }
    for (let item = queue.pop(); item !== undefined; item = queue.pop()) taken.push(item.expiresAt);
    expect(taken).to.have.lengthOf(5000);
    // Once nothing more is queued, the rest comes out earliest first, whichever of the two queues holds each item.
    const drained = taken.slice(1667);
    expect(drained).to.deep.equal([...drained].sort((a, b) => a - b));
  });
});
