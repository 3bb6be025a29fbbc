import { expect } from 'chai';
import { CALL_MATCHING_SECTIONS, describeOnEachBackend, groupState, post } from './helpers/call-matching.ts';

/** More keys than `[storage] max_keys` (default 100) allows in one record. */
const TOO_MANY_KEYS = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`key${i}`, String(i)]));

describeOnEachBackend(
  'a Create stores its user data and its booking together or not at all',
  CALL_MATCHING_SECTIONS,
  (fixture) => {
    it('refuses user data over the limits before anything is booked', async () => {
      const refused = await post(fixture().app, 'locking-ri', { _phone_number: '6504669999', ...TOO_MANY_KEYS }).expect(
        400,
      );
      expect(refused.body.code).to.equal('GMS_STORAGE_TOO_MANY_KEYS');
      expect(refused.body.message).to.contain('max_keys is 100').and.contain('send fewer keys, or raise max_keys');
      const state = await groupState(fixture().app, 'locking-pool');
      expect(state).to.include({ total: 3, available: 3, reserved: 0 });
      expect(state.reservations).to.deep.equal([]);
    });

    it('releases the number the plugin booked when the data cannot be stored (a storage failure)', async () => {
      const { userData } = fixture().engine;
      userData.create = () => Promise.reject(new Error('storage unavailable'));
      const failed = await post(fixture().app, 'locking-ri', {
        _phone_number: '6504669999',
        language: 'french',
      }).expect(500);
      expect(failed.body.code).to.equal('GMS_INTERNAL');
      const state = await groupState(fixture().app, 'locking-pool');
      expect(state).to.include({ total: 3, available: 3, reserved: 0 });
    });

    it('answers the data refusal even when the pool is exhausted, and keeps the three bookings', async () => {
      for (let created = 0; created < 3; created++) {
        await post(fixture().app, 'locking-ri', { _phone_number: `650000000${created}` }).expect(200);
      }
      const refused = await post(fixture().app, 'locking-ri', TOO_MANY_KEYS).expect(400);
      expect(refused.body.code).to.equal('GMS_STORAGE_TOO_MANY_KEYS');
      expect(await groupState(fixture().app, 'locking-pool')).to.include({ available: 0, reserved: 3 });
      await post(fixture().app, 'locking-ri', { language: 'french' }).expect(503);
    });

    it('stores the data of a successful Create with its booking, for the match to read', async () => {
      const created = await post(fixture().app, 'locking-ri', {
        _phone_number: '6504661234',
        language: 'french',
      }).expect(200);
      const matched = await post(fixture().app, 'match-interaction', {
        _access_number: created.body._access_number,
        _phone_number: '6504661234',
        _return_user_data: 'true',
      }).expect(200);
      expect(matched.body._id).to.equal(created.body._id);
      expect(matched.body.user_data).to.deep.equal({ language: 'french' });
    });
  },
);
