/**
 * The storage backends seen through the engine: with `[storage] backend = file` or `redis`, a service instance, its
 * user data (strings and a file) and the data its plugin keeps outlive the engine, and a new engine on the same
 * configuration serves them. An unreachable Redis stops the start-up with a message naming `[storage] url`.
 */

import { rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../src/app.ts';
import { Engine } from '../src/engine.ts';
import { createMemoryLogger } from '../src/logger.ts';
import { ADMIN, repoRoot, tempFolder } from './helpers/engine-fixture.ts';
import { keysContaining, REDIS_URL, redisSuite } from './helpers/redis.ts';

/** Every byte value, as the uploaded file. */
const PHOTO = Buffer.from(Array.from({ length: 256 }, (_, value) => value));

/** A configuration with the storage probe plugin (test/fixtures) as the only plugin, and the given `[storage]`. */
async function writeProbeConfig(folder: string, storage: string): Promise<string> {
  const configFile = path.join(folder, 'gms.ini');
  const text = [
    '[server]',
    `username = ${ADMIN.user}`,
    `password = ${ADMIN.password}`,
    `plugins_dir = ${path.join(repoRoot, 'test/fixtures/storage/plugins')}`,
    `templates_dir = ${path.join(folder, 'service_templates')}`,
    `data_dir = ${path.join(folder, 'data')}`,
    '',
    '[storage]',
    storage,
    '',
    '[service.probe]',
    '_type = builtin',
    '_service = storage_probe',
    '',
  ].join('\n');
  await writeFile(configFile, text);
  return configFile;
}

/** Starts an engine, runs `use` with it and its app, and closes it whatever happens. */
async function withEngine<T>(
  configFile: string,
  use: (engine: Engine, app: ReturnType<typeof createApp>) => Promise<T>,
) {
  const engine = await Engine.start({ configFile, logger: createMemoryLogger() });
  try {
    return await use(engine, createApp(engine));
  } finally {
    await engine.close();
  }
}

/** Creates a service instance with user data, restarts the engine, and checks that everything is still served. */
async function expectDataSurvivesRestart(configFile: string): Promise<string> {
  const id = await withEngine(configFile, async (_engine, app) => {
    const created = await request(app.callback())
      .post('/genesys/1/service/probe')
      .field('_ttl', '600')
      .field('first_name', 'Ann')
      .attach('photo', PHOTO, { filename: 'photo.bin', contentType: 'application/octet-stream' })
      .expect(200);
    expect(created.body.creates).to.equal(1);
    return String(created.body._id);
  });

  await withEngine(configFile, async (engine, app) => {
    const shown = await request(app.callback()).post(`/genesys/1/service/${id}/show`).expect(200);
    expect(shown.body).to.deep.include({
      service: 'probe',
      state: { probe: true },
      note: { greeting: 'hello', ttlSeconds: 600 },
      badge: `badge of ${id}`,
      creates: '1',
    });
    const dataId = String(shown.body.dataId);
    const data = await engine.userData.get(dataId);
    expect(data?.fields).to.deep.equal({ first_name: 'Ann' });
    expect(data?.files.photo).to.deep.include({ filename: 'photo.bin', size: PHOTO.length });
    const photo = await engine.userData.readKey(dataId, 'photo', {});
    expect(photo.kind === 'file' && photo.data.equals(PHOTO)).to.equal(true);

    // The plugin's counter goes on from where the previous engine left it.
    const again = await request(app.callback()).post('/genesys/1/service/probe').expect(200);
    expect(again.body.creates).to.equal(2);
    await request(app.callback()).delete(`/genesys/1/service/${id}`).expect(200);
    await request(app.callback()).post(`/genesys/1/service/${id}/show`).expect(404);
  });
  return id;
}

describe('storage backends through the engine', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await tempFolder();
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  it('file: a service instance, its user data and plugin data survive a restart', async () => {
    const configFile = await writeProbeConfig(folder, `backend = file\npath = ${path.join(folder, 'storage')}`);
    await expectDataSurvivesRestart(configFile);
  });

  describe('redis', () => {
    const keyPrefix = redisSuite();

    it('redis: a service instance, its user data and plugin data survive a restart, under key_prefix', async () => {
      const storage = `backend = redis\nurl = ${REDIS_URL}\nkey_prefix = ${keyPrefix}`;
      const id = await expectDataSurvivesRestart(await writeProbeConfig(folder, storage));
      const keys = await keysContaining(id);
      expect(keys).to.not.be.empty;
      for (const key of keys) expect(key.startsWith(keyPrefix), key).to.equal(true);
    });
  });

  it('redis: refuses to start when Redis cannot be reached, naming [storage] url and hiding the password', async () => {
    const port = await closedPort();
    const url = `redis://user:secret-password@127.0.0.1:${port}`;
    const configFile = await writeProbeConfig(folder, `backend = redis\nurl = ${url}`);
    const failure = await Engine.start({ configFile, logger: createMemoryLogger() }).then(
      () => expect.fail('the engine started without Redis'),
      (error: unknown) => error as Error,
    );
    expect(failure.message).to.contain('[storage] url').and.contain(`127.0.0.1:${port}`);
    expect(failure.message).to.not.contain('secret-password');
  });
});

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
