import { rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import request from 'supertest';
import { type EngineFixture, tempFolder } from './helpers/engine-fixture.ts';
import { allBytes, binaryParser, startStorageEngine } from './helpers/storage-backends.ts';

const FILE_STORAGE = '[storage]\nbackend = file\n';

describe('Storage API across a restart [file]', () => {
  let folder: string;
  let fixture: EngineFixture | undefined;
  const agent = () => request(fixture!.app.callback());
  const bytes = allBytes(16);
  const ids: Record<string, string> = {};

  before(async () => {
    folder = await tempFolder();
    fixture = await startStorageEngine(FILE_STORAGE, folder);
    const stored = await agent()
      .post('/genesys/1/storage/600')
      .field('Key1', 'Value1')
      .attach('FileKey', bytes, { filename: 'all-bytes.bin', contentType: 'application/octet-stream' })
      .expect(200);
    ids.generated = stored.body.id as string;
    ids.shortLived = (await agent().post('/genesys/1/storage/1').send({ a: '1' }).expect(200)).body.id as string;
    await agent().post('/genesys/1/storage/custom/alice-notes/600').set('gms_user', 'alice').send({ note: 'hi' });
    const created = await agent().post('/genesys/1/service/data-echo').send({ language: 'french' }).expect(200);
    ids.service = created.body._id as string;
    await fixture.engine.close();
    fixture = undefined;
    await sleep(1200);
    fixture = await startStorageEngine(FILE_STORAGE, folder);
  });
  after(async () => {
    await fixture?.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('keeps string values and files byte for byte', async () => {
    expect((await agent().get(`/genesys/1/storage/${ids.generated}`).expect(200)).body).to.deep.equal({
      Key1: 'Value1',
    });
    const file = await agent()
      .get(`/genesys/1/storage/binary/${ids.generated}/FileKey`)
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    expect(Buffer.compare(file.body as Buffer, bytes)).to.equal(0);
    expect(file.headers['content-disposition']).to.equal('attachment; filename="all-bytes.bin"');
  });

  it('keeps the binding of a custom id to its gms_user', async () => {
    await agent().get('/genesys/1/storage/alice-notes').set('gms_user', 'bob').expect(403);
    const map = await agent().get('/genesys/1/storage/alice-notes').set('gms_user', 'alice').expect(200);
    expect(map.body).to.deep.equal({ note: 'hi' });
  });

  it('keeps the user data of a live service instance', async () => {
    const map = await agent().get(`/genesys/1/service/${ids.service}/storage`).expect(200);
    expect(map.body).to.deep.equal({ language: 'french' });
  });

  it('lets data expire while the engine was stopped', async () => {
    await agent().get(`/genesys/1/storage/${ids.shortLived}`).expect(404);
  });

  it('updates and deletes what was stored before the restart', async () => {
    await agent().post(`/genesys/1/storage/${ids.generated}/600`).send({ Key2: 'Value2' }).expect(200);
    await agent().delete(`/genesys/1/storage/${ids.generated}/FileKey`).expect(200);
    expect((await agent().get(`/genesys/1/storage/${ids.generated}`).expect(200)).body).to.deep.equal({
      Key1: 'Value1',
      Key2: 'Value2',
    });
  });
});
