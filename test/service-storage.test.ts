import { expect } from 'chai';
import request from 'supertest';
import type { EngineFixture } from './helpers/engine-fixture.ts';
import {
  allBytes,
  binaryParser,
  describeEachBackend,
  startStorageEngine,
  TEST_LIMITS,
} from './helpers/storage-backends.ts';

describeEachBackend('Service-scoped storage and the user data of Create (seed 004)', (backend) => {
  let fixture: EngineFixture | undefined;
  const agent = () => request(fixture!.app.callback());

  before(async () => {
    fixture = await startStorageEngine(backend.storageSection);
  });
  after(() => fixture?.close());

  /** The seed 004 example: underscore parameters, user data strings and a picture. */
  async function createWithData(): Promise<{ id: string; dataId: string; picture: Buffer }> {
    const picture = allBytes(4);
    const response = await agent()
      .post('/genesys/1/service/data-echo')
      .set('gms_user', 'device-1')
      .field('_phone_number', '6504669999')
      .field('_provide_code', 'true')
      .field('language', 'french')
      .field('current_location_latitude', '48.8583')
      .attach('FileKey', picture, { filename: 'MyPic.png', contentType: 'image/png' })
      .attach('_hidden_file', Buffer.from('not user data'), '_hidden.txt')
      .expect(200);
    expect(response.body._data_id).to.be.a('string');
    return { id: response.body._id as string, dataId: response.body._data_id as string, picture };
  }

  it('stores the non-underscore parameters of a Create, readable through /storage/{_data_id}', async () => {
    const { dataId, picture } = await createWithData();
    const map = await agent().get(`/genesys/1/storage/${dataId}`).expect(200);
    expect(map.body).to.deep.equal({ language: 'french', current_location_latitude: '48.8583' });
    const file = await agent().get(`/genesys/1/storage/binary/${dataId}/FileKey`).buffer(true).parse(binaryParser);
    expect(file.status).to.equal(200);
    expect(Buffer.compare(file.body as Buffer, picture)).to.equal(0);
    expect(file.headers['content-type']).to.equal('image/png');
    await agent().get(`/genesys/1/storage/binary/${dataId}/_hidden_file`).expect(404);
  });

  it('answers the same data through /service/{id}/storage', async () => {
    const { id, picture } = await createWithData();
    const map = await agent().get(`/genesys/1/service/${id}/storage`).expect(200);
    expect(map.body).to.deep.equal({ language: 'french', current_location_latitude: '48.8583' });
    expect((await agent().get(`/genesys/1/service/${id}/storage/language`).expect(200)).text).to.equal('french');
    const file = await agent()
      .get(`/genesys/1/service/${id}/storage/binary/FileKey`)
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    expect(Buffer.compare(file.body as Buffer, picture)).to.equal(0);
    expect(file.headers['content-disposition']).to.equal('attachment; filename="MyPic.png"');
  });

  it('updates the service data in place, visible through both paths', async () => {
    const { id, dataId } = await createWithData();
    const response = await agent()
      .post(`/genesys/1/service/${id}/storage`)
      .type('form')
      .send({ language: 'english', basket: '3 items' })
      .expect(200);
    expect(response.body).to.deep.equal({ _id: id, _data_id: dataId });
    const expected = { language: 'english', current_location_latitude: '48.8583', basket: '3 items' };
    expect((await agent().get(`/genesys/1/storage/${dataId}`).expect(200)).body).to.deep.equal(expected);
    expect((await agent().get(`/genesys/1/service/${id}/storage`).expect(200)).body).to.deep.equal(expected);
  });

  it('deletes one key of the service data', async () => {
    const { id, dataId } = await createWithData();
    await agent().delete(`/genesys/1/service/${id}/storage/language`).expect(200);
    await agent().delete(`/genesys/1/service/${id}/storage/FileKey`).expect(200);
    const missing = await agent().get(`/genesys/1/service/${id}/storage/language`).expect(404);
    expect(missing.body.code).to.equal('GMS_SERVICE_DATA_KEY_NOT_FOUND');
    expect(missing.body.message).to.contain('language');
    await agent().get(`/genesys/1/service/${id}/storage/binary/FileKey`).expect(404);
    await agent().delete(`/genesys/1/service/${id}/storage/language`).expect(404);
    const map = await agent().get(`/genesys/1/storage/${dataId}`).expect(200);
    expect(map.body).to.deep.equal({ current_location_latitude: '48.8583' });
  });

  it('gives a service without user data an empty map, then a record on its first update', async () => {
    const created = await agent().post('/genesys/1/service/data-echo').type('form').send({ _x: '1' }).expect(200);
    const id = created.body._id as string;
    expect(created.body._data_id).to.equal(null);
    expect((await agent().get(`/genesys/1/service/${id}/storage`).expect(200)).body).to.deep.equal({});
    await agent().get(`/genesys/1/service/${id}/storage/Key1`).expect(404);
    await agent().delete(`/genesys/1/service/${id}/storage/Key1`).expect(404);
    const [first, second] = await Promise.all([
      agent().post(`/genesys/1/service/${id}/storage`).type('form').send({ Key1: 'Value1' }).expect(200),
      agent().post(`/genesys/1/service/${id}/storage`).type('form').send({ Key2: 'Value2' }).expect(200),
    ]);
    const dataId = first.body._data_id as string;
    expect(second.body._data_id).to.equal(dataId);
    const expected = { Key1: 'Value1', Key2: 'Value2' };
    expect((await agent().get(`/genesys/1/storage/${dataId}`).expect(200)).body).to.deep.equal(expected);
    expect((await agent().get(`/genesys/1/service/${id}/storage`).expect(200)).body).to.deep.equal(expected);
    // The data lives as long as the instance (default _ttl 30 s), not longer.
    const record = await fixture!.engine.userData.get(dataId);
    expect(record?.expiresAt).to.be.at.most(Date.now() + 31_000);
  });

  it('answers 404 for an unknown service instance', async () => {
    for (const call of [
      agent().get('/genesys/1/service/no-such-instance/storage'),
      agent().get('/genesys/1/service/no-such-instance/storage/k'),
      agent().get('/genesys/1/service/no-such-instance/storage/binary/k'),
      agent().post('/genesys/1/service/no-such-instance/storage').send({ a: '1' }),
      agent().delete('/genesys/1/service/no-such-instance/storage/k'),
    ]) {
      const response = await call.expect(404);
      expect(response.body.code).to.equal('GMS_SERVICE_INSTANCE_NOT_FOUND');
      expect(response.body.message).to.contain('no-such-instance');
    }
  });

  it('takes POST .../storage before the service-specific request route, which still serves other requests', async () => {
    const { id } = await createWithData();
    expect((await agent().post(`/genesys/1/service/${id}/status`).expect(200)).body).to.deep.equal({ status: 'ok' });
    await agent().post(`/genesys/1/service/${id}/storage`).type('form').send({ a: '1' }).expect(200);
  });

  it('applies the limits to a service-scoped update and keeps the data as it was', async () => {
    const { id, dataId } = await createWithData();
    const response = await agent()
      .post(`/genesys/1/service/${id}/storage`)
      .type('form')
      .send({ big: 'x'.repeat(TEST_LIMITS.max_value_bytes + 1) })
      .expect(413);
    expect(response.body.message).to.contain('max_value_bytes');
    expect((await agent().get(`/genesys/1/storage/${dataId}`).expect(200)).body).to.deep.equal({
      language: 'french',
      current_location_latitude: '48.8583',
    });
  });
});
