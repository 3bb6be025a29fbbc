import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import request from 'supertest';
import type { EngineFixture } from './helpers/engine-fixture.ts';
import { allBytes, binaryParser, describeEachBackend, startStorageEngine } from './helpers/storage-backends.ts';

describeEachBackend('Storage API', (backend) => {
  let fixture: EngineFixture | undefined;
  const agent = () => request(fixture!.app.callback());

  before(async () => {
    fixture = await startStorageEngine(backend.storageSection);
  });
  after(() => fixture?.close());

  async function store(fields: Record<string, string>, ttl = '60'): Promise<string> {
    const path = ttl === '' ? '/genesys/1/storage' : `/genesys/1/storage/${ttl}`;
    const response = await agent().post(path).type('form').send(fields).expect(200);
    expect(response.body.id).to.be.a('string');
    return response.body.id as string;
  }

  async function storeWithFile(ttl = '60'): Promise<{ id: string; bytes: Buffer }> {
    const bytes = allBytes(8);
    const response = await agent()
      .post(`/genesys/1/storage/${ttl}`)
      .field('Key1', 'Value1')
      .attach('FileKey', bytes, { filename: 'all-bytes.bin', contentType: 'application/x-test-bytes' })
      .expect(200);
    return { id: response.body.id as string, bytes };
  }

  it('stores the Lab example (urlencoded Key1/Key2) and answers the map and each value', async () => {
    const id = await store({ Key1: 'Value1', Key2: 'Value2' }, '30');
    expect((await agent().get(`/genesys/1/storage/${id}`).expect(200)).body).to.deep.equal({
      Key1: 'Value1',
      Key2: 'Value2',
    });
    const value = await agent().get(`/genesys/1/storage/${id}/Key2`).expect(200);
    expect(value.text).to.equal('Value2');
    expect(value.headers['content-type']).to.match(/^text\/plain/);
  });

  it('stores JSON bodies as strings, and accepts the legacy prefix', async () => {
    const response = await agent().post('/gms-web/gms/1/storage/30').send({ name: 'Ann', count: 2 }).expect(200);
    const map = await agent().get(`/genesys/1/storage/${response.body.id}`).expect(200);
    expect(map.body).to.deep.equal({ name: 'Ann', count: '2' });
  });

  it('round-trips a file with every byte value, with its content type and file name', async () => {
    const { id, bytes } = await storeWithFile();
    const file = await agent().get(`/genesys/1/storage/binary/${id}/FileKey`).buffer(true).parse(binaryParser);
    expect(file.status).to.equal(200);
    expect(Buffer.compare(file.body as Buffer, bytes)).to.equal(0);
    expect(file.headers['content-type']).to.equal('application/x-test-bytes');
    expect(file.headers['content-disposition']).to.equal('attachment; filename="all-bytes.bin"');
    expect(file.headers['x-content-type-options']).to.equal('nosniff');
  });

  it('lists only string keys in the map; GET of a file key answers its bytes', async () => {
    const { id, bytes } = await storeWithFile();
    expect((await agent().get(`/genesys/1/storage/${id}`).expect(200)).body).to.deep.equal({ Key1: 'Value1' });
    const file = await agent().get(`/genesys/1/storage/${id}/FileKey`).buffer(true).parse(binaryParser).expect(200);
    expect(Buffer.compare(file.body as Buffer, bytes)).to.equal(0);
    const text = await agent().get(`/genesys/1/storage/binary/${id}/Key1`).expect(200);
    expect(text.text).to.equal('Value1');
  });

  it('falls back to a ttl of 30 seconds for an invalid or missing ttl', async () => {
    for (const ttl of ['abc', '0', '-5', '1.5', '']) {
      const id = await store({ a: '1' }, ttl);
      const record = await fixture!.engine.userData.get(id);
      const remaining = (record?.expiresAt ?? 0) - Date.now();
      expect(remaining, `ttl ${ttl}`).to.be.above(25_000).and.at.most(30_000);
    }
  });

  it('refuses a ttl over [storage] max_ttl with 400 naming the option', async () => {
    const response = await agent().post('/genesys/1/storage/3601').type('form').send({ a: '1' }).expect(400);
    expect(response.body.code).to.equal('GMS_STORAGE_TTL_TOO_LARGE');
    expect(response.body.message).to.contain('max_ttl').and.contain('3600');
    const update = await agent()
      .post(`/genesys/1/storage/${await store({ a: '1' })}/3601`)
      .expect(400);
    expect(update.body.code).to.equal('GMS_STORAGE_TTL_TOO_LARGE');
  });

  it('updates: adds and replaces keys, a string may replace a file', async () => {
    const { id } = await storeWithFile();
    const response = await agent()
      .post(`/genesys/1/storage/${id}/60`)
      .type('form')
      .send({ Key1: 'new', Key3: 'three' })
      .expect(200);
    expect(response.body).to.deep.equal({ id });
    await agent().post(`/genesys/1/storage/${id}/60`).type('form').send({ FileKey: 'now a string' }).expect(200);
    expect((await agent().get(`/genesys/1/storage/${id}`).expect(200)).body).to.deep.equal({
      Key1: 'new',
      Key3: 'three',
      FileKey: 'now a string',
    });
  });

  it('replacing a file answers the new bytes and deletes the old ones', async () => {
    const { id } = await storeWithFile();
    const before = await fixture!.engine.userData.get(id);
    const oldBlob = before?.files.FileKey?.blob ?? '';
    await agent()
      .post(`/genesys/1/storage/${id}/60`)
      .attach('FileKey', Buffer.from('%PNG fake'), { filename: 'MyPic.png', contentType: 'image/png' })
      .expect(200);
    const file = await agent().get(`/genesys/1/storage/binary/${id}/FileKey`).buffer(true).parse(binaryParser);
    expect((file.body as Buffer).toString()).to.equal('%PNG fake');
    expect(file.headers['content-type']).to.equal('image/png');
    expect(file.headers['content-disposition']).to.equal('attachment; filename="MyPic.png"');
    expect(await fixture!.engine.storage.blobs('data').get(oldBlob)).to.equal(undefined);
  });

  it('expires after the ttl, unless an update reset it (files included)', async () => {
    // 2 s, not 1: the update must land before the first ttl runs out, even on a busy machine.
    const expiring = await storeWithFile('2');
    const renewed = await storeWithFile('2');
    await agent().post(`/genesys/1/storage/${renewed.id}/60`).type('form').send({ Key2: 'kept' }).expect(200);
    await sleep(2300);
    for (const path of [
      `/genesys/1/storage/${expiring.id}`,
      `/genesys/1/storage/${expiring.id}/Key1`,
      `/genesys/1/storage/binary/${expiring.id}/FileKey`,
    ]) {
      const response = await agent().get(path).expect(404);
      expect(response.body.message, path).to.contain(expiring.id);
    }
    await agent().post(`/genesys/1/storage/${expiring.id}/60`).type('form').send({ a: '1' }).expect(404);
    await agent().delete(`/genesys/1/storage/${expiring.id}`).expect(404);
    const map = await agent().get(`/genesys/1/storage/${renewed.id}`).expect(200);
    expect(map.body).to.deep.equal({ Key1: 'Value1', Key2: 'kept' });
    const file = await agent().get(`/genesys/1/storage/binary/${renewed.id}/FileKey`).buffer(true).parse(binaryParser);
    expect(file.status).to.equal(200);
    expect(Buffer.compare(file.body as Buffer, renewed.bytes)).to.equal(0);
  });

  it('deletes one key, then answers 404 for it', async () => {
    const { id } = await storeWithFile();
    expect((await agent().delete(`/genesys/1/storage/${id}/Key1`).expect(200)).body).to.deep.equal({
      id,
      key: 'Key1',
      deleted: true,
    });
    await agent().delete(`/genesys/1/storage/${id}/FileKey`).expect(200);
    const missing = await agent().get(`/genesys/1/storage/${id}/Key1`).expect(404);
    expect(missing.body).to.include({ code: 'GMS_STORAGE_KEY_NOT_FOUND' });
    expect(missing.body.message).to.contain('Key1');
    await agent().get(`/genesys/1/storage/binary/${id}/FileKey`).expect(404);
    await agent().delete(`/genesys/1/storage/${id}/Key1`).expect(404);
    expect((await agent().get(`/genesys/1/storage/${id}`).expect(200)).body).to.deep.equal({});
  });

  it('deletes a record and its files, then answers 404', async () => {
    const { id } = await storeWithFile();
    const blob = (await fixture!.engine.userData.get(id))?.files.FileKey?.blob ?? '';
    expect((await agent().delete(`/genesys/1/storage/${id}`).expect(200)).body).to.deep.equal({ id, deleted: true });
    await agent().get(`/genesys/1/storage/${id}`).expect(404);
    await agent().delete(`/genesys/1/storage/${id}`).expect(404);
    expect(await fixture!.engine.storage.blobs('data').get(blob)).to.equal(undefined);
  });

  it('answers 404 with a message for unknown ids and keys', async () => {
    const id = await store({ a: '1' });
    const cases: Array<[string, string, string]> = [
      ['get', '/genesys/1/storage/no-such-id', 'GMS_STORAGE_NOT_FOUND'],
      ['get', '/genesys/1/storage/no-such-id/a', 'GMS_STORAGE_NOT_FOUND'],
      ['get', '/genesys/1/storage/binary/no-such-id/a', 'GMS_STORAGE_NOT_FOUND'],
      ['post', '/genesys/1/storage/no-such-id/30', 'GMS_STORAGE_NOT_FOUND'],
      ['delete', '/genesys/1/storage/no-such-id/a', 'GMS_STORAGE_NOT_FOUND'],
      ['get', `/genesys/1/storage/${id}/missing`, 'GMS_STORAGE_KEY_NOT_FOUND'],
      ['get', `/genesys/1/storage/binary/${id}/missing`, 'GMS_STORAGE_KEY_NOT_FOUND'],
      ['delete', `/genesys/1/storage/${id}/missing`, 'GMS_STORAGE_KEY_NOT_FOUND'],
    ];
    for (const [method, path, code] of cases) {
      const call = method === 'get' ? agent().get(path) : method === 'post' ? agent().post(path) : agent().delete(path);
      const response = await call.expect(404);
      expect(response.body.code, `${method} ${path}`).to.equal(code);
      expect(response.body.message).to.match(/no-such-id|missing/);
    }
  });

  it('keeps every key of concurrent updates to one id', async () => {
    const id = await store({ base: '0' });
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        agent()
          .post(`/genesys/1/storage/${id}/60`)
          .type('form')
          .send({ [`k${i}`]: String(i) })
          .expect(200),
      ),
    );
    const map = await agent().get(`/genesys/1/storage/${id}`).expect(200);
    expect(Object.keys(map.body).sort()).to.deep.equal(['base', 'k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7']);
  });
});
