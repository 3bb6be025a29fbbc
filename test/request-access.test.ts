import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import request from 'supertest';
import { CALL_MATCHING_SECTIONS, groupState, post, startCallMatching } from './helpers/call-matching.ts';
import type { EngineFixture } from './helpers/engine-fixture.ts';

const SECTIONS = `${CALL_MATCHING_SECTIONS}
[service.brief]
_type = builtin
_service = request-interaction
_resource_group = shared-pool
_ttl = 1

[service.access-override]
_type = builtin
_service = request-access
_resource_group = locking-pool
_provide_code = true
_access_code_length = 4
_overwritable_options = _booking_expiration_timeout
`;

describe('request-access (seed 001/002)', () => {
  let fixture: EngineFixture;

  beforeEach(async () => {
    fixture = await startCallMatching('memory', SECTIONS, 'access_code_prefix = 7-9');
  });
  afterEach(() => fixture.close());

  it('books a number from DNIS for a live service; match-interaction answers that service and its data', async () => {
    const service = await post(fixture.app, 'shared-ri', { _phone_number: '6504660010', note: 'hello' }).expect(200);
    const access = await post(fixture.app, 'request-access', { _id: service.body._id }).expect(200);
    expect(access.body).to.have.keys(['_id', '_access_number', '_expiration_time']);
    expect(access.body._id).to.equal(service.body._id);
    expect(access.body._access_number).to.be.oneOf(['6504664131', '6504664132']);
    expect(access.body._expiration_time).to.equal(30);
    const matched = await post(fixture.app, 'match-interaction', {
      _access_number: access.body._access_number,
      _phone_number: '6504660010',
      _return_data: 'true',
    }).expect(200);
    expect(matched.body).to.include({ _id: service.body._id });
    expect(matched.body.user_data).to.deep.equal({ note: 'hello' });
  });

  it('issues codes of _access_code_length digits whose first digit follows [server] access_code_prefix', async () => {
    const service = await post(fixture.app, 'shared-ri', {}).expect(200);
    const codes = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const access = await post(fixture.app, 'request-access', {
        _id: service.body._id,
        _resource_group: 'shared-pool',
        _provide_code: 'true',
        _access_code_length: '4',
      }).expect(200);
      expect(access.body._access_code).to.match(/^[7-9]\d{3}$/);
      codes.add(access.body._access_code);
    }
    expect(codes.size).to.equal(2);
    const created = await post(fixture.app, 'shared-ri', { _provide_code: 'true' }).expect(200);
    expect(created.body._access_code).to.match(/^[7-9]\d{5}$/);
  });

  it('takes _booking_expiration_timeout from the request over the group (when overwritable)', async () => {
    const service = await post(fixture.app, 'shared-ri', {}).expect(200);
    const access = await post(fixture.app, 'access-override', {
      _id: service.body._id,
      _booking_expiration_timeout: '120',
      _provide_code: 'false',
    }).expect(200);
    expect(access.body._expiration_time).to.equal(120);
    expect(access.body._access_code).to.match(/^[7-9]\d{3}$/);
    expect(access.body._access_number).to.match(/^65046641\d\d$/);
  });

  it('releases what it booked when the service is deleted', async () => {
    const service = await post(fixture.app, 'shared-ri', {}).expect(200);
    await post(fixture.app, 'request-access', { _id: service.body._id }).expect(200);
    await post(fixture.app, 'request-access', { _id: service.body._id }).expect(200);
    expect(await groupState(fixture.app, 'DNIS')).to.include({ available: 0 });
    await request(fixture.app.callback()).delete(`/genesys/1/service/${service.body._id}`).expect(200);
    expect(await groupState(fixture.app, 'DNIS')).to.include({ available: 2, reserved: 0 });
  });

  it('answers 404 for an unknown or expired _id and 400 without one', async () => {
    const unknown = await post(fixture.app, 'request-access', { _id: 'no-such-service' }).expect(404);
    expect(unknown.body.message).to.contain('no-such-service');
    const brief = await post(fixture.app, 'brief', {}).expect(200);
    await sleep(1200);
    await post(fixture.app, 'request-access', { _id: brief.body._id }).expect(404);
    const missing = await post(fixture.app, 'request-access', {}).expect(400);
    expect(missing.body.message).to.contain('_id');
    expect(await groupState(fixture.app, 'DNIS')).to.include({ available: 2 });
  });

  it('answers 400 naming the group when it is not configured', async () => {
    const service = await post(fixture.app, 'shared-ri', {}).expect(200);
    const response = await post(fixture.app, 'request-access', {
      _id: service.body._id,
      _resource_group: 'Nowhere',
    }).expect(400);
    expect(response.body.code).to.equal('GMS_RESOURCE_GROUP_UNKNOWN');
    expect(response.body.message).to.contain('Nowhere').and.contain('[resource.Nowhere]');
  });
});
