import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { type NumberSegment, NumberSet, parseNumberOption } from '../src/resources/access-numbers.ts';
import { openResourceStore } from '../src/resources/open-resource-store.ts';
import type {
  BookingRequest,
  BookingResult,
  ResourceStore,
  StoredReservation,
} from '../src/resources/resource-store.ts';
import type { BackendKind } from '../src/storage/types.ts';
import { keysContaining, remainingTtlsMs, requireRedis } from './helpers/redis.ts';
import { openTestBackend, type TestBackend } from './helpers/resource-backends.ts';

function numbers(...values: string[]): NumberSet {
  return new NumberSet(values.map((value, index) => parseNumberOption(`n${index}`, value) as NumberSegment));
}

function request(overrides: Partial<BookingRequest> & { group: string }): BookingRequest {
  return { id: randomUUID(), locking: true, serviceId: randomUUID(), codes: [], ttlMs: 60_000, ...overrides };
}

function booked(result: BookingResult): StoredReservation {
  if (result.outcome !== 'booked') throw new Error(`expected a booking, got ${result.outcome}`);
  return result.reservation;
}

const KINDS: BackendKind[] = ['memory', 'file', 'redis'];

for (const kind of KINDS) {
  describe(`resource store contract (${kind})`, () => {
    let test: TestBackend;
    let store: ResourceStore;

    before(async function () {
      if (kind === 'redis') await requireRedis(this);
    });
    beforeEach(async () => {
      test = await openTestBackend(kind);
      store = openResourceStore(test.backend);
    });
    afterEach(async () => {
      await store?.close();
      await test?.dispose();
    });

    it('books every number of a locking pool once, then answers exhausted with the time to the first release', async () => {
      await store.syncPool({ group: 'lock', locking: true, numbers: numbers('100-104') });
      const taken = await Promise.all([1, 2, 3, 4, 5].map(() => store.book(request({ group: 'lock' }))));
      expect(new Set(taken.map((result) => booked(result).number))).to.have.lengthOf(5);
      const full = await store.book(request({ group: 'lock' }));
      expect(full.outcome).to.equal('exhausted');
      if (full.outcome === 'exhausted') expect(full.retryAfterMs).to.be.greaterThan(0).and.at.most(60_000);
    });

    it('never gives a locking number to two bookings made at the same time', async () => {
      await store.syncPool({ group: 'lock', locking: true, numbers: numbers('200-219') });
      const results = await Promise.all(Array.from({ length: 60 }, () => store.book(request({ group: 'lock' }))));
      const winners = results.filter((result) => result.outcome === 'booked').map((result) => booked(result).number);
      expect(winners).to.have.lengthOf(20);
      expect(new Set(winners)).to.have.lengthOf(20);
      expect(results.filter((result) => result.outcome === 'exhausted')).to.have.lengthOf(40);
    });

    it('returns a released number to the pool, and releases a reservation only once', async () => {
      await store.syncPool({ group: 'lock', locking: true, numbers: numbers('300') });
      const first = booked(await store.book(request({ group: 'lock' })));
      const [a, b] = await Promise.all([store.release([first]), store.release([first])]);
      expect((a ?? []).length + (b ?? []).length).to.equal(1);
      const second = booked(await store.book(request({ group: 'lock' })));
      expect(second.number).to.equal('300');
    });

    it('frees a number when its booking expires, with no clean-up call', async () => {
      await store.syncPool({ group: 'lock', locking: true, numbers: numbers('400') });
      const first = booked(await store.book(request({ group: 'lock', ttlMs: 200, ani: '555' })));
      expect((await store.poolState('lock', { offset: 0, limit: 10 })).available).to.equal(0);
      await sleep(350);
      expect((await store.candidates('400', { ani: '555' })).byAni).to.deep.equal([]);
      expect(await store.poolState('lock', { offset: 0, limit: 10 })).to.include({ available: 1, reserved: 0 });
      const second = booked(await store.book(request({ group: 'lock' })));
      expect(second.number).to.equal(first.number);
      expect(await store.release([first])).to.deep.equal([]);
    });

    it('keeps access codes unique among the live reservations of a number', async () => {
      await store.syncPool({ group: 'shared', locking: false, numbers: numbers('500') });
      const codes = ['111111', '222222'];
      const shared = { group: 'shared', locking: false, number: '500', codes };
      const one = booked(await store.book(request(shared)));
      const two = booked(await store.book(request(shared)));
      expect([one.code, two.code]).to.have.members(codes);
      expect((await store.book(request(shared))).outcome).to.equal('codes-taken');
      await store.release([one]);
      expect(booked(await store.book(request(shared))).code).to.equal(one.code);
    });

    it('finds candidates through the code, caller number and holder indexes', async () => {
      await store.syncPool({ group: 'shared', locking: false, numbers: numbers('600') });
      await store.syncPool({ group: 'lock', locking: true, numbers: numbers('700') });
      const coded = booked(
        await store.book(request({ group: 'shared', locking: false, number: '600', codes: ['42'] })),
      );
      const byPhone = booked(await store.book(request({ group: 'shared', locking: false, number: '600', ani: '999' })));
      const holder = booked(await store.book(request({ group: 'lock', ani: '888' })));
      const found = await store.candidates('600', { code: '42', ani: '999' });
      expect(found.byCode?.id).to.equal(coded.id);
      expect(found.byAni.map((r) => r.id)).to.deep.equal([byPhone.id]);
      expect(found.holder).to.equal(undefined);
      expect((await store.candidates('700', {})).holder?.id).to.equal(holder.id);
      expect((await store.candidates('600', { code: '43', ani: '000' })).byCode).to.equal(undefined);
    });

    it('records every field of a reservation', async () => {
      await store.syncPool({ group: 'shared', locking: false, numbers: numbers('650') });
      const made = booked(
        await store.book(
          request({ group: 'shared', locking: false, number: '650', codes: ['7'], ani: '+33', dataId: 'd1' }),
        ),
      );
      const [found] = (await store.poolState('shared', { offset: 0, limit: 10 })).reservations;
      expect(found).to.deep.equal(made);
      expect(made).to.include({ group: 'shared', number: '650', code: '7', ani: '+33', dataId: 'd1', locking: false });
      expect(made.expiresAt - made.createdAt).to.equal(60_000);
    });

    it('releases every reservation of a service', async () => {
      await store.syncPool({ group: 'lock', locking: true, numbers: numbers('800-802') });
      const serviceId = randomUUID();
      await store.book(request({ group: 'lock', serviceId }));
      await store.book(request({ group: 'lock', serviceId }));
      await store.book(request({ group: 'lock' }));
      expect(await store.releaseService(serviceId)).to.have.lengthOf(2);
      expect(await store.poolState('lock', { offset: 0, limit: 10 })).to.include({
        total: 3,
        available: 2,
        reserved: 1,
      });
    });

    it('follows a changed pool without losing the live bookings of numbers that stay or go', async () => {
      await store.syncPool({ group: 'lock', locking: true, numbers: numbers('900-901') });
      const kept = booked(await store.book(request({ group: 'lock' })));
      const gone = booked(await store.book(request({ group: 'lock' })));
      const stay = kept.number === '900' ? kept : gone;
      const leave = stay === kept ? gone : kept;
      const next = numbers(stay.number, '902');
      await store.syncPool({ group: 'lock', locking: true, numbers: next });
      expect(await store.poolState('lock', { offset: 0, limit: 10 })).to.include({
        total: 2,
        available: 1,
        reserved: 2,
      });
      expect(booked(await store.book(request({ group: 'lock' }))).number).to.equal('902');
      expect((await store.book(request({ group: 'lock' }))).outcome).to.equal('exhausted');
      expect((await store.candidates(leave.number, {})).holder?.id).to.equal(leave.id);
      expect(await store.release([leave])).to.have.lengthOf(1);
      expect((await store.book(request({ group: 'lock' }))).outcome).to.equal('exhausted');
    });

    it('refuses numbers outside the pool and groups without one', async () => {
      await store.syncPool({ group: 'shared', locking: false, numbers: numbers('1000') });
      expect((await store.book(request({ group: 'shared', locking: false, number: '1001' }))).outcome).to.equal(
        'not-in-pool',
      );
      expect((await store.book(request({ group: 'nothing' }))).outcome).to.equal('not-in-pool');
      await store.dropPool('shared');
      expect((await store.book(request({ group: 'shared', locking: false, number: '1000' }))).outcome).to.equal(
        'not-in-pool',
      );
    });

    it('counts round-robin turns from 0', async () => {
      expect([await store.nextIndex('rr'), await store.nextIndex('rr'), await store.nextIndex('other')]).to.deep.equal([
        0, 1, 0,
      ]);
    });

    it('lists live reservations soonest to expire first, one page at a time', async () => {
      await store.syncPool({ group: 'lock', locking: true, numbers: numbers('1100-1104') });
      const made: StoredReservation[] = [];
      for (const ttlMs of [50_000, 40_000, 30_000])
        made.push(booked(await store.book(request({ group: 'lock', ttlMs }))));
      const page = await store.poolState('lock', { offset: 1, limit: 1 });
      expect(page).to.include({ total: 5, available: 2, reserved: 3 });
      expect(page.reservations.map((r) => r.id)).to.deep.equal([made[1]?.id]);
    });

    it('finds the live reservations on given numbers, shared or locking, in any group', async () => {
      await store.syncPool({ group: 'lock', locking: true, numbers: numbers('1300-1302') });
      await store.syncPool({ group: 'shared', locking: false, numbers: numbers('1400-1401') });
      const held = booked(await store.book(request({ group: 'lock' })));
      const shared = await Promise.all(
        [1, 2].map(async () => booked(await store.book(request({ group: 'shared', number: '1401', locking: false })))),
      );
      const short = booked(await store.book(request({ group: 'shared', number: '1400', locking: false, ttlMs: 100 })));
      expect(await store.reservationsOn(numbers('1399', '1400'))).to.deep.equal([short]);
      await sleep(200);
      expect(await store.reservationsOn(numbers('1400'))).to.deep.equal([]);
      const found = await store.reservationsOn(numbers('1300-1302', '1401'));
      expect(found.map((r) => r.id).sort()).to.deep.equal([held.id, ...shared.map((r) => r.id)].sort());
      await store.release(shared);
      expect(await store.reservationsOn(numbers('1401', held.number))).to.deep.equal([held]);
    });

    if (kind === 'redis') {
      it('gives every key of a booking a TTL that lasts as long as its latest booking, never shorter', async () => {
        await store.syncPool({ group: 'ttl', locking: false, numbers: numbers('1500') });
        const serviceId = randomUUID();
        const ani = `ani${randomUUID()}`;
        const book = async (ttlMs: number) =>
          booked(await store.book(request({ group: 'ttl', number: '1500', locking: false, serviceId, ani, ttlMs })));
        // Every key but the pool's own, which lasts as long as the group is configured.
        const ttlsOf = async (...markers: string[]) => {
          const keys = (await Promise.all(markers.map((marker) => keysContaining(marker)))).flat();
          return [...(await remainingTtlsMs(keys.filter((key) => !key.includes('pool:'))))];
        };
        const first = await book(60_000);
        const fresh = await ttlsOf(serviceId, ani, first.id, ':g:ttl', ':n:1500');
        // The reservation, the service, caller, group and number indexes.
        expect(fresh).to.have.lengthOf(5);
        for (const [key, ttl] of fresh) expect(ttl, key).to.be.greaterThan(55_000).and.at.most(60_000);
        // A longer booking of the same service and caller extends every index; a shorter one shortens none.
        await book(120_000);
        await book(10_000);
        const indexes = await ttlsOf(serviceId, ani, ':g:ttl', ':n:1500');
        expect(indexes).to.have.lengthOf(4);
        for (const [key, ttl] of indexes) expect(ttl, key).to.be.greaterThan(115_000).and.at.most(120_000);
      });
    }

    if (kind !== 'memory') {
      it('keeps reservations across a restart', async () => {
        await store.syncPool({ group: 'lock', locking: true, numbers: numbers('1200-1201') });
        const held = booked(await store.book(request({ group: 'lock', codes: ['123'], ani: '777' })));
        store = openResourceStore(await test.reopen());
        await store.syncPool({ group: 'lock', locking: true, numbers: numbers('1200-1201') });
        expect((await store.candidates(held.number, { code: '123' })).byCode).to.deep.equal(held);
        const other = booked(await store.book(request({ group: 'lock' })));
        expect(other.number).to.not.equal(held.number);
        expect((await store.book(request({ group: 'lock' }))).outcome).to.equal('exhausted');
      });
    }
  });
}
