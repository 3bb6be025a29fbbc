import { expect } from 'chai';
import request from 'supertest';
import { CALL_MATCHING_SECTIONS, groupState, post, startCallMatching } from './helpers/call-matching.ts';
import { ADMIN, type EngineFixture } from './helpers/engine-fixture.ts';

describe('match-interaction options since 8.5.102 (seed 003), request-interaction errors, admin API', () => {
  let fixture: EngineFixture;

  beforeEach(async () => {
    fixture = await startCallMatching('memory', CALL_MATCHING_SECTIONS);
  });
  afterEach(() => fixture.close());

  it('_return_multiple_matches answers every matching service, most recent first, and releases them all', async () => {
    const first = await post(fixture.app, 'shared-ri', { _phone_number: '6504660020' }).expect(200);
    const second = await post(fixture.app, 'shared-ri', { _phone_number: '6504660020', n: '2' }).expect(200);
    const single = await post(fixture.app, 'match-interaction', {
      _access_number: '8003449999',
      _phone_number: '6504660020',
    }).expect(200);
    expect(single.body._id).to.equal(second.body._id);
    const third = await post(fixture.app, 'shared-ri', { _phone_number: '6504660020' }).expect(200);
    const all = await post(fixture.app, 'match-interaction', {
      _access_number: '8003449999',
      _phone_number: '6504660020',
      _return_multiple_matches: 'true',
    }).expect(200);
    expect(Object.keys(all.body)).to.deep.equal(['matches']);
    expect(all.body.matches.map((match: { _id: string }) => match._id)).to.deep.equal([third.body._id, first.body._id]);
    expect(await groupState(fixture.app, 'shared-pool')).to.include({ reserved: 0, available: 1 });
    const none = await post(fixture.app, 'match-interaction', {
      _access_number: '8003449999',
      _phone_number: '6504660020',
      _return_multiple_matches: 'true',
    }).expect(404);
    expect(none.body.message).to.contain('6504660020');
  });

  it('_return_data and _return_user_data answer the user data, files as metadata and a Storage API URL', async () => {
    const created = await request(fixture.app.callback())
      .post('/genesys/1/service/locking-ri')
      .field('language', 'french')
      .attach('picture', Buffer.from([1, 2, 3]), { filename: 'face.png', contentType: 'image/png' })
      .expect(200);
    const matched = await post(fixture.app, 'match-interaction', {
      _access_number: created.body._access_number,
      _return_user_data: 'true',
    }).expect(200);
    expect(matched.body.user_data).to.deep.equal({
      language: 'french',
      picture: {
        filename: 'face.png',
        content_type: 'image/png',
        size: 3,
        url: `/genesys/1/storage/binary/${matched.body._data_id}/picture`,
      },
    });
    const bare = await post(fixture.app, 'locking-ri', {}).expect(200);
    const empty = await post(fixture.app, 'match-interaction', {
      _access_number: bare.body._access_number,
      _return_data: 'true',
    }).expect(200);
    // GMS always answers a _data_id: for a service without user data, the id its service-scoped storage would use.
    expect(empty.body).to.deep.equal({ _id: bare.body._id, _data_id: `${bare.body._id}:data`, user_data: {} });
    const unread = await request(fixture.app.callback()).get(`/genesys/1/storage/${empty.body._data_id}`).expect(404);
    expect(unread.body.code).to.equal('GMS_STORAGE_NOT_FOUND');
  });

  it('finds the data an app stored through service-scoped storage after a Create without user data', async () => {
    const created = await post(fixture.app, 'locking-ri', { _phone_number: '6504660031' }).expect(200);
    const stored = await request(fixture.app.callback())
      .post(`/genesys/1/service/${created.body._id}/storage`)
      .type('form')
      .send({ basket: '3 items' })
      .expect(200);
    const matched = await post(fixture.app, 'match-interaction', {
      _access_number: created.body._access_number,
      _phone_number: '6504660031',
      _return_user_data: 'true',
    }).expect(200);
    expect(matched.body).to.deep.equal({
      _id: created.body._id,
      _data_id: stored.body._data_id,
      user_data: { basket: '3 items' },
    });
    const data = await request(fixture.app.callback()).get(`/genesys/1/storage/${matched.body._data_id}`).expect(200);
    expect(data.body).to.deep.equal({ basket: '3 items' });
  });

  it('_delete_service deletes the matched service; without it the service stays', async () => {
    const kept = await post(fixture.app, 'locking-ri', { a: '1' }).expect(200);
    const deleted = await post(fixture.app, 'locking-ri', { a: '2' }).expect(200);
    await post(fixture.app, 'match-interaction', { _access_number: kept.body._access_number }).expect(200);
    await post(fixture.app, 'match-interaction', {
      _access_number: deleted.body._access_number,
      _delete_service: 'true',
    }).expect(200);
    await post(fixture.app, 'request-access', { _id: kept.body._id, _resource_group: 'rr-pool' }).expect(200);
    await post(fixture.app, 'request-access', { _id: deleted.body._id, _resource_group: 'rr-pool' }).expect(404);
    await request(fixture.app.callback()).delete(`/genesys/1/service/${deleted.body._id}`).expect(404);
  });

  it('matches each reservation once when the same call is matched concurrently', async () => {
    const created = await post(fixture.app, 'locking-ri', {}).expect(200);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        post(fixture.app, 'match-interaction', { _access_number: created.body._access_number }),
      ),
    );
    expect(responses.filter((response) => response.status === 200)).to.have.lengthOf(1);
    expect(responses.filter((response) => response.status === 404)).to.have.lengthOf(9);
  });

  it('refuses a match without _access_number', async () => {
    const response = await post(fixture.app, 'match-interaction', { _phone_number: '1' }).expect(400);
    expect(response.body.message).to.contain('_access_number');
  });

  it('refuses a Create with no resource group configured or sent, naming the option', async () => {
    const response = await post(fixture.app, 'no-group', { _phone_number: '1', note: 'x' }).expect(400);
    expect(response.body.message).to.contain('_resource_group').and.contain('[service.no-group]');
    const sent = await post(fixture.app, 'no-group', { _resource_group: 'shared-pool' }).expect(200);
    expect(sent.body._access_number).to.equal('8003449999');
    const unknown = await post(fixture.app, 'no-group', { _resource_group: 'ghost' }).expect(400);
    expect(unknown.body.code).to.equal('GMS_RESOURCE_GROUP_UNKNOWN');
  });

  it('refuses invalid parameters with the option named', async () => {
    const response = await post(fixture.app, 'shared-ri', { _provide_code: 'maybe' }).expect(400);
    expect(response.body.message).to.contain('_provide_code');
    await post(fixture.app, 'shared-ri', { _access_code_length: '40' }).expect(400);
  });

  it('admin: lists groups, shows one with its reservations, pages them, and requires Basic auth', async () => {
    const created = await post(fixture.app, 'locking-ri', { _phone_number: '6504660030' }).expect(200);
    const agent = request(fixture.app.callback());
    await agent.get('/genesys/1/admin/resources').expect(401);
    const list = await agent.get('/genesys/1/admin/resources').auth(ADMIN.user, ADMIN.password).expect(200);
    expect(list.body.map((group: { name: string }) => group.name)).to.deep.equal([
      'locking-pool',
      'shared-pool',
      'rr-pool',
      'short-pool',
      'DNIS',
    ]);
    expect(list.body[0]).to.deep.equal({
      name: 'locking-pool',
      strategy: 'locking',
      booking_expiration_timeout: 30,
      total: 3,
      available: 2,
      reserved: 1,
    });
    const detail = await groupState(fixture.app, 'locking-pool');
    expect(detail.reservations).to.have.lengthOf(1);
    expect((detail.reservations as Array<Record<string, unknown>>)[0]).to.include({
      access_number: created.body._access_number,
      phone_number: '6504660030',
      service_id: created.body._id,
    });
    const empty = await agent
      .get('/genesys/1/admin/resources/locking-pool?offset=1')
      .auth(ADMIN.user, ADMIN.password)
      .expect(200);
    expect(empty.body.reservations).to.deep.equal([]);
    await agent.get('/genesys/1/admin/resources/locking-pool?limit=-1').auth(ADMIN.user, ADMIN.password).expect(400);
    const missing = await agent.get('/genesys/1/admin/resources/ghost').auth(ADMIN.user, ADMIN.password).expect(404);
    expect(missing.body.message).to.contain('ghost');
  });
});
