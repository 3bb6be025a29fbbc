import { expect } from 'chai';
import { CALL_MATCHING_SECTIONS, describeOnEachBackend, post } from './helpers/call-matching.ts';

const SECTIONS = `${CALL_MATCHING_SECTIONS}
[service.health-ri]
_type = builtin
_service = request-interaction
_resource_group = locking-pool
_return_pool_health = true

[service.no-health-ri]
_type = builtin
_service = request-interaction
_resource_group = locking-pool
_return_pool_health = false
`;

describeOnEachBackend('request-interaction _return_pool_health', SECTIONS, (fixture) => {
  it('answers the locking pool counters after each booking, down to none available', async () => {
    const seen: unknown[] = [];
    for (let created = 0; created < 3; created++) {
      const response = await post(fixture().app, 'health-ri', { _phone_number: `650000000${created}` }).expect(200);
      expect(response.body).to.have.keys('_id', '_access_number', '_expiration_time', '_pool_health');
      seen.push(response.body._pool_health);
    }
    expect(seen).to.deep.equal([
      { total: 3, available: 2, reserved: 1 },
      { total: 3, available: 1, reserved: 2 },
      { total: 3, available: 0, reserved: 3 },
    ]);
  });

  it('is off by default, asked for by a request parameter, and a configured false wins over the request', async () => {
    const plain = await post(fixture().app, 'locking-ri', {}).expect(200);
    expect(plain.body).to.not.have.property('_pool_health');

    const asked = await post(fixture().app, 'locking-ri', { _return_pool_health: 'true' }).expect(200);
    expect(asked.body._pool_health).to.deep.equal({ total: 3, available: 1, reserved: 2 });

    const refused = await post(fixture().app, 'no-health-ri', { _return_pool_health: 'true' }).expect(200);
    expect(refused.body).to.not.have.property('_pool_health');
  });

  it('counts a shared (non-locking) pool as the admin API does: a number in use is not available, yet still booked', async () => {
    await post(fixture().app, 'shared-ri', {}).expect(200);
    const second = await post(fixture().app, 'shared-ri', { _return_pool_health: 'true' }).expect(200);
    expect(second.body._pool_health).to.deep.equal({ total: 1, available: 0, reserved: 2 });
  });

  it('refuses a value that is not a boolean, naming the option', async () => {
    const response = await post(fixture().app, 'locking-ri', { _return_pool_health: 'maybe' }).expect(400);
    expect(response.body.message).to.contain('_return_pool_health').and.contain('true or false');
  });
});
