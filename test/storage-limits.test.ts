import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import type { EngineFixture } from './helpers/engine-fixture.ts';
import { describeEachBackend, startStorageEngine, TEST_LIMITS } from './helpers/storage-backends.ts';

describeEachBackend('Storage API limits', (backend) => {
  let fixture: EngineFixture | undefined;
  const agent = () => request(fixture!.app.callback());

  before(async () => {
    fixture = await startStorageEngine(backend.storageSection);
  });
  after(() => fixture?.close());

  function keys(count: number, prefix = 'k'): Record<string, string> {
    return Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}${i}`, String(i)]));
  }

  async function expectUnchanged(id: string, expected: Record<string, string>): Promise<void> {
    expect((await agent().get(`/genesys/1/storage/${id}`).expect(200)).body).to.deep.equal(expected);
  }

  it('refuses a value over max_value_bytes with 413 naming the limit', async () => {
    const response = await agent()
      .post('/genesys/1/storage/60')
      .type('form')
      .send({ big: 'x'.repeat(TEST_LIMITS.max_value_bytes + 1) })
      .expect(413);
    expect(response.body.code).to.equal('GMS_STORAGE_TOO_LARGE');
    expect(response.body.message).to.contain('max_value_bytes').and.contain('big');
    expect(response.body.message).to.contain('send less, or raise max_value_bytes in the [storage] section');
  });

  it('refuses a file over max_file_bytes with 413 naming the limit', async () => {
    const response = await agent()
      .post('/genesys/1/storage/60')
      .attach('FileKey', Buffer.alloc(TEST_LIMITS.max_file_bytes + 1), 'big.bin')
      .expect(413);
    expect(response.body.message).to.contain('max_file_bytes').and.contain('FileKey');
  });

  it('refuses a record over max_record_bytes with 413 naming the limit', async () => {
    const third = Math.ceil(TEST_LIMITS.max_record_bytes / 3);
    const response = await agent()
      .post('/genesys/1/storage/60')
      .attach('a', Buffer.alloc(third), 'a.bin')
      .attach('b', Buffer.alloc(third), 'b.bin')
      .attach('c', Buffer.alloc(third), 'c.bin')
      .expect(413);
    expect(response.body.message).to.contain('max_record_bytes');
  });

  it('refuses more than max_keys keys with 400 naming the limit', async () => {
    const response = await agent()
      .post('/genesys/1/storage/60')
      .type('form')
      .send(keys(TEST_LIMITS.max_keys + 1))
      .expect(400);
    expect(response.body.code).to.equal('GMS_STORAGE_TOO_MANY_KEYS');
    expect(response.body.message).to.contain('max_keys');
  });

  it('refuses an update whose merged record is over a limit, and keeps the record as it was', async () => {
    const original = keys(TEST_LIMITS.max_keys - 1);
    const id = (await agent().post('/genesys/1/storage/60').type('form').send(original).expect(200)).body.id as string;
    await agent().post(`/genesys/1/storage/${id}/60`).type('form').send(keys(2, 'new')).expect(400);
    await expectUnchanged(id, original);
    const nearlyFull = Buffer.alloc(TEST_LIMITS.max_file_bytes);
    await agent().post(`/genesys/1/storage/${id}/60`).attach('f1', nearlyFull, 'f1.bin').expect(200);
    const tooMuch = await agent()
      .post(`/genesys/1/storage/${id}/60`)
      .field('k0', 'replaced')
      .attach('f1', nearlyFull, 'f1.bin')
      .attach('f2', nearlyFull, 'f2.bin')
      .expect(400);
    expect(tooMuch.body.code).to.equal('GMS_STORAGE_TOO_MANY_KEYS');
    await expectUnchanged(id, original);
    const replaced = await agent()
      .post(`/genesys/1/storage/${id}/60`)
      .attach('k0', nearlyFull, 'k0.bin')
      .attach('f1', nearlyFull, 'f1.bin')
      .expect(413);
    expect(replaced.body.message).to.contain('max_record_bytes');
    await expectUnchanged(id, original);
  });

  /** Blob files on disk (file backend), where an orphan would show. */
  async function blobFiles(): Promise<number> {
    if (backend.kind !== 'file') return 0;
    return (await readdir(path.join(fixture!.folder, 'data', 'storage', 'blobs')).catch(() => [])).length;
  }

  it('writes no file bytes for a refused request', async () => {
    const id = (await agent().post('/genesys/1/storage/60').type('form').send({ a: '1' }).expect(200)).body
      .id as string;
    const filesBefore = await blobFiles();
    await agent()
      .post(`/genesys/1/storage/${id}/60`)
      .field('big', 'x'.repeat(TEST_LIMITS.max_value_bytes + 1))
      .attach('f', Buffer.from('bytes'), 'f.bin')
      .expect(413);
    await agent().get(`/genesys/1/storage/binary/${id}/f`).expect(404);
    await expectUnchanged(id, { a: '1' });
    expect(await blobFiles()).to.equal(filesBefore);
  });

  it('applies the limits to the user data of a Create', async () => {
    const response = await agent()
      .post('/genesys/1/service/data-echo')
      .type('form')
      .send({ _phone_number: '6504669999', ...keys(TEST_LIMITS.max_keys + 1) })
      .expect(400);
    expect(response.body.code).to.equal('GMS_STORAGE_TOO_MANY_KEYS');
  });
});
