import { expect } from 'chai';
import request from 'supertest';
import type { EngineFixture } from './helpers/engine-fixture.ts';
import { binaryParser, describeEachBackend, startStorageEngine } from './helpers/storage-backends.ts';

describeEachBackend('Storage API custom ids bound to gms_user', (backend) => {
  let fixture: EngineFixture | undefined;
  const agent = () => request(fixture!.app.callback());
  let counter = 0;
  const freshId = () => `device-${++counter}@example.com`;

  before(async () => {
    fixture = await startStorageEngine(backend.storageSection);
  });
  after(() => fixture?.close());

  async function createCustom(id: string, user: string, fields: Record<string, string>): Promise<void> {
    const response = await agent()
      .post(`/genesys/1/storage/custom/${id}/60`)
      .set('gms_user', user)
      .type('form')
      .send(fields)
      .expect(200);
    expect(response.body).to.deep.equal({ id });
  }

  it('stores under the chosen id and answers it to the same gms_user', async () => {
    const id = freshId();
    await createCustom(id, 'alice', { Key1: 'Value1' });
    const map = await agent().get(`/genesys/1/storage/${id}`).set('gms_user', 'alice').expect(200);
    expect(map.body).to.deep.equal({ Key1: 'Value1' });
    const value = await agent().get(`/genesys/1/storage/${id}/Key1`).set('gms_user', 'alice').expect(200);
    expect(value.text).to.equal('Value1');
  });

  it('answers 400 without the gms_user header and 403 with another one, on every endpoint', async () => {
    const id = freshId();
    await createCustom(id, 'alice', { Key1: 'Value1' });
    const calls = [
      () => agent().get(`/genesys/1/storage/${id}`),
      () => agent().get(`/genesys/1/storage/${id}/Key1`),
      () => agent().get(`/genesys/1/storage/binary/${id}/Key1`),
      () => agent().post(`/genesys/1/storage/${id}/60`).type('form').send({ Key1: 'stolen' }),
      () => agent().delete(`/genesys/1/storage/${id}/Key1`),
      () => agent().delete(`/genesys/1/storage/${id}`),
    ];
    for (const call of calls) {
      const missing = await call().expect(400);
      expect(missing.body.code).to.equal('GMS_STORAGE_USER_REQUIRED');
      expect(missing.body.message).to.contain('gms_user');
      const other = await call().set('gms_user', 'mallory').expect(403);
      expect(other.body.code).to.equal('GMS_STORAGE_FORBIDDEN');
    }
    const map = await agent().get(`/genesys/1/storage/${id}`).set('gms_user', 'alice').expect(200);
    expect(map.body).to.deep.equal({ Key1: 'Value1' });
  });

  it('lets the owner update, read files and delete', async () => {
    const id = freshId();
    await createCustom(id, 'alice', { Key1: 'Value1' });
    await agent()
      .post(`/genesys/1/storage/${id}/60`)
      .set('gms_user', 'alice')
      .attach('FileKey', Buffer.from([0, 255, 10, 13]), { filename: 'x.bin', contentType: 'application/octet-stream' })
      .expect(200);
    const file = await agent()
      .get(`/genesys/1/storage/binary/${id}/FileKey`)
      .set('gms_user', 'alice')
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    expect([...(file.body as Buffer)]).to.deep.equal([0, 255, 10, 13]);
    await agent().delete(`/genesys/1/storage/${id}/Key1`).set('gms_user', 'alice').expect(200);
    await agent().delete(`/genesys/1/storage/${id}`).set('gms_user', 'alice').expect(200);
    await agent().get(`/genesys/1/storage/${id}`).set('gms_user', 'alice').expect(404);
  });

  it('replaces the content when the owner stores the id again; refuses another gms_user', async () => {
    const id = freshId();
    await createCustom(id, 'alice', { Key1: 'Value1', Key2: 'Value2' });
    const taken = await agent()
      .post(`/genesys/1/storage/custom/${id}/60`)
      .set('gms_user', 'mallory')
      .type('form')
      .send({ Key1: 'mine' })
      .expect(403);
    expect(taken.body.code).to.equal('GMS_STORAGE_FORBIDDEN');
    await createCustom(id, 'alice', { Key3: 'Value3' });
    const map = await agent().get(`/genesys/1/storage/${id}`).set('gms_user', 'alice').expect(200);
    expect(map.body).to.deep.equal({ Key3: 'Value3' });
  });

  it('gives a contested id to exactly one gms_user', async () => {
    const id = freshId();
    const users = ['u1', 'u2', 'u3', 'u4'];
    const statuses = await Promise.all(
      users.map(async (user) => {
        const response = await agent()
          .post(`/genesys/1/storage/custom/${id}/60`)
          .set('gms_user', user)
          .type('form')
          .send({ owner: user });
        return response.status;
      }),
    );
    expect(statuses.filter((status) => status === 200)).to.have.length(1);
    expect(statuses.filter((status) => status === 403)).to.have.length(3);
    const winner = users[statuses.indexOf(200)] ?? '';
    const map = await agent().get(`/genesys/1/storage/${id}`).set('gms_user', winner).expect(200);
    expect(map.body).to.deep.equal({ owner: winner });
  });

  it('refuses a custom create without gms_user, with a reserved or malformed id, or over a generated id', async () => {
    const noUser = await agent().post(`/genesys/1/storage/custom/${freshId()}/60`).send({ a: '1' }).expect(400);
    expect(noUser.body.code).to.equal('GMS_MISSING_PARAMETER');
    expect(noUser.body.message).to.contain('gms_user');
    for (const id of ['binary', 'Custom', 'has%20space', '-dash-first']) {
      const response = await agent()
        .post(`/genesys/1/storage/custom/${id}/60`)
        .set('gms_user', 'alice')
        .send({ a: '1' })
        .expect(400);
      expect(response.body.code, id).to.equal('GMS_STORAGE_ID_INVALID');
    }
    const generated = (await agent().post('/genesys/1/storage/60').send({ a: '1' }).expect(200)).body.id as string;
    const clash = await agent()
      .post(`/genesys/1/storage/custom/${generated}/60`)
      .set('gms_user', 'alice')
      .send({ a: '2' })
      .expect(409);
    expect(clash.body.code).to.equal('GMS_STORAGE_ID_TAKEN');
    expect((await agent().get(`/genesys/1/storage/${generated}`).expect(200)).body).to.deep.equal({ a: '1' });
  });

  it('leaves generated ids open to every caller, with or without gms_user', async () => {
    const id = (await agent().post('/genesys/1/storage/60').set('gms_user', 'alice').send({ a: '1' })).body
      .id as string;
    await agent().get(`/genesys/1/storage/${id}`).expect(200);
    await agent().get(`/genesys/1/storage/${id}`).set('gms_user', 'bob').expect(200);
  });
});
