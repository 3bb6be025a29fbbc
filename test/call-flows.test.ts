import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import request from 'supertest';
import { CALL_MATCHING_SECTIONS, describeOnEachBackend, groupState, post } from './helpers/call-matching.ts';

describeOnEachBackend('Access Number Allocation Call Flows (seed 002)', CALL_MATCHING_SECTIONS, (fixture) => {
  describe('no locking (the number is shared)', () => {
    it('DNIS only: no match is done', async () => {
      const created = await post(fixture().app, 'shared-ri', { language: 'french' }).expect(200);
      expect(created.body._access_number).to.equal('8003449999');
      const response = await post(fixture().app, 'match-interaction', { _access_number: '8003449999' }).expect(404);
      expect(response.body.message).to.contain('8003449999');
      expect(response.body.exception).to.match(/CallbackExceptionNotFound$/);
    });

    it('DNIS + ANI: the service created from the calling phone', async () => {
      const a = await post(fixture().app, 'shared-ri', { _phone_number: '6504660001', who: 'a' }).expect(200);
      const b = await post(fixture().app, 'shared-ri', { _phone_number: '6504660002', who: 'b' }).expect(200);
      expect(a.body._access_number).to.equal(b.body._access_number);
      const matched = await post(fixture().app, 'match-interaction', {
        _access_number: '8003449999',
        _phone_number: '6504660002',
      }).expect(200);
      expect(matched.body._id).to.equal(b.body._id);
      expect(matched.body._data_id).to.be.a('string');
      await post(fixture().app, 'match-interaction', {
        _access_number: '8003449999',
        _phone_number: '6504660002',
      }).expect(404);
      const other = await post(fixture().app, 'match-interaction', {
        _access_number: '8003449999',
        _phone_number: '650-466-0001',
      }).expect(200);
      expect(other.body._id).to.equal(a.body._id);
    });

    it('DNIS + access code: the service that was given the code', async () => {
      const a = await post(fixture().app, 'shared-ri', { _provide_code: 'true' }).expect(200);
      const b = await post(fixture().app, 'shared-ri', { _provide_code: 'true' }).expect(200);
      expect(a.body._access_code).to.match(/^\d{6}$/);
      expect(a.body._access_code).to.not.equal(b.body._access_code);
      const matched = await post(fixture().app, 'match-interaction', {
        _access_number: '8003449999',
        _access_code: a.body._access_code,
        _phone_number: '1111',
      }).expect(200);
      // No user data at Create: the data id is the one the service's own storage would write to.
      expect(matched.body).to.deep.equal({ _id: a.body._id, _data_id: `${a.body._id}:data` });
    });

    it('no match: unknown number, wrong caller, wrong code, or a code that was not entered', async () => {
      await post(fixture().app, 'shared-ri', { _phone_number: '6504660003', _provide_code: 'true' }).expect(200);
      await post(fixture().app, 'match-interaction', { _access_number: '1234' }).expect(404);
      await post(fixture().app, 'match-interaction', { _access_number: '8003449999', _phone_number: '999' }).expect(
        404,
      );
      await post(fixture().app, 'match-interaction', { _access_number: '8003449999', _access_code: '000000' }).expect(
        404,
      );
      await post(fixture().app, 'match-interaction', {
        _access_number: '8003449999',
        _phone_number: '6504660003',
      }).expect(404);
    });

    it('round-robin hands the numbers out in turn', async () => {
      const numbers: string[] = [];
      for (let i = 0; i < 4; i++)
        numbers.push((await post(fixture().app, 'rr-ri', {}).expect(200)).body._access_number);
      expect(numbers).to.deep.equal(['8005550000', '8005550001', '8005550002', '8005550000']);
    });
  });

  describe('locking (one service per number)', () => {
    it('DNIS only matches the holder, and the number is free again', async () => {
      const created = await post(fixture().app, 'locking-ri', { note: 'x' }).expect(200);
      expect(await groupState(fixture().app, 'locking-pool')).to.include({ total: 3, available: 2, reserved: 1 });
      const matched = await post(fixture().app, 'match-interaction', {
        _access_number: created.body._access_number,
      }).expect(200);
      expect(matched.body._id).to.equal(created.body._id);
      expect(await groupState(fixture().app, 'locking-pool')).to.include({ available: 3, reserved: 0 });
    });

    it('DNIS + ANI and DNIS + access code', async () => {
      const byPhone = await post(fixture().app, 'locking-ri', { _phone_number: '+1 650 466 9999' }).expect(200);
      const byCode = await post(fixture().app, 'locking-ri', { _provide_code: 'true' }).expect(200);
      expect(byPhone.body._access_number).to.not.equal(byCode.body._access_number);
      const first = await post(fixture().app, 'match-interaction', {
        _access_number: byPhone.body._access_number,
        _phone_number: '+16504669999',
      }).expect(200);
      expect(first.body._id).to.equal(byPhone.body._id);
      await post(fixture().app, 'match-interaction', { _access_number: byCode.body._access_number }).expect(404);
      const second = await post(fixture().app, 'match-interaction', {
        _access_number: byCode.body._access_number,
        _access_code: byCode.body._access_code,
      }).expect(200);
      expect(second.body._id).to.equal(byCode.body._id);
    });

    it('no match: a wrong code on a held number', async () => {
      const created = await post(fixture().app, 'locking-ri', { _provide_code: 'true' }).expect(200);
      const wrong = created.body._access_code === '000000' ? '000001' : '000000';
      await post(fixture().app, 'match-interaction', {
        _access_number: created.body._access_number,
        _access_code: wrong,
      }).expect(404);
    });

    it('an exhausted pool answers 503 with Retry-After; deleting a service frees its number', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await post(fixture().app, 'locking-ri', {}).expect(200)).body._id);
      const full = await post(fixture().app, 'locking-ri', { language: 'french' }).expect(503);
      expect(Number(full.headers['retry-after'])).to.be.within(1, 30);
      expect(full.body.message).to.contain('locking-pool');
      expect(full.body.exception).to.match(/CallbackExceptionServiceUnavailable$/);
      await request(fixture().app.callback()).delete(`/genesys/1/service/${ids[0]}`).expect(200);
      await post(fixture().app, 'locking-ri', {}).expect(200);
    });

    it('a booking that expires returns its number to the pool, called or not', async () => {
      const first = await post(fixture().app, 'short-ri', { _phone_number: '555' }).expect(200);
      expect(first.body._expiration_time).to.equal(1);
      await post(fixture().app, 'short-ri', {}).expect(503);
      await sleep(1300);
      expect(await groupState(fixture().app, 'short-pool')).to.include({ available: 1, reserved: 0 });
      await post(fixture().app, 'match-interaction', { _access_number: '6504669000', _phone_number: '555' }).expect(
        404,
      );
      await post(fixture().app, 'short-ri', {}).expect(200);
    });
  });
});
