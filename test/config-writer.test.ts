import { chmod, lstat, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { ConfigWriter } from '../src/config/config-writer.ts';
import { Engine } from '../src/engine.ts';
import { GmsError } from '../src/errors.ts';
import { createMemoryLogger } from '../src/logger.ts';
import { adminClient } from './helpers/admin-client.ts';
import { configText, type EngineFixture, startEngine, tempFolder } from './helpers/engine-fixture.ts';

const SERVICES = `
[service.checker]
_type = builtin
_service = get
custom = one
`;

describe('ConfigWriter: changes written back to the INI file', () => {
  let fixture: EngineFixture;
  let api: ReturnType<typeof adminClient>;

  beforeEach(async () => {
    fixture = await startEngine(SERVICES);
    api = adminClient(fixture.app);
  });
  afterEach(() => fixture.close());

  const fileText = () => readFile(fixture.configFile, 'utf8');

  it('answers 409 when the file was edited by hand after the engine loaded it, and keeps that edit', async () => {
    const handEdited = (await fileText()).replace('custom = one', 'custom = by hand');
    await writeFile(fixture.configFile, handEdited);
    const response = await api.patch('/genesys/1/admin/services/checker', { set: { other: 'api' } }).expect(409);
    expect(response.body.code).to.equal('GMS_CONFIG_CHANGED_ON_DISK');
    expect(response.body.message).to.contain('gms.ini changed on disk');
    expect(await fileText()).to.equal(handEdited);
    expect(fixture.engine.services.get('checker')?.options.custom).to.equal('one');

    await fixture.engine.reload();
    await api.patch('/genesys/1/admin/services/checker', { set: { other: 'api' } }).expect(200);
    expect(await fileText()).to.equal(handEdited.replace('custom = by hand\n', 'custom = by hand\nother = api\n'));
  });

  it('keeps answering 409 while a hand edit is invalid, and never overwrites it', async () => {
    const broken = (await fileText()).replace('_service = get', '_service = get\n_online_code = soon');
    await writeFile(fixture.configFile, broken);
    expect((await fixture.engine.reload()).applied).to.equal(false);
    await api.post('/genesys/1/admin/services', { name: 'other', template: 'get' }).expect(409);
    expect(await fileText()).to.equal(broken);
  });

  it('applies concurrent changes one at a time, losing none', async () => {
    const changes = Array.from({ length: 10 }, (_, i) =>
      api.patch('/genesys/1/admin/services/checker', { set: { [`option${i}`]: `value${i}` } }),
    );
    for (const response of await Promise.all(changes)) expect(response.status).to.equal(200);
    const options = fixture.engine.services.get('checker')?.options ?? {};
    for (let i = 0; i < 10; i++) {
      expect(await fileText()).to.contain(`option${i} = value${i}\n`);
      expect(options[`option${i}`]).to.equal(`value${i}`);
    }
    const creates = await Promise.all(
      [1, 2, 3].map(() => api.post('/genesys/1/admin/services', { name: 'twin', template: 'get' })),
    );
    expect(creates.map((response) => response.status).sort()).to.deep.equal([201, 409, 409]);
  });

  it('replaces the file atomically: no temporary file left, its mode kept', async () => {
    await chmod(fixture.configFile, 0o640);
    await api.patch('/genesys/1/admin/services/checker', { set: { custom: 'two' } }).expect(200);
    expect((await stat(fixture.configFile)).mode & 0o777).to.equal(0o640);
    expect(await readdir(fixture.folder)).to.deep.equal(['gms.ini']);
  });

  it('agrees with live reload: after a change the engine serves the file, and a reload finds nothing new', async () => {
    await api.patch('/genesys/1/admin/services/checker', { set: { custom: 'two' } }).expect(200);
    expect(fixture.engine.config.text).to.equal(await fileText());
    expect(await fixture.engine.reload()).to.deep.equal({ applied: false, issues: [] });
  });

  it('puts the file back and refuses when the reload after the write refuses it', async () => {
    const { engine } = fixture;
    const before = await fileText();
    const writer = new ConfigWriter({
      get config() {
        return engine.config;
      },
      check: (config) => engine.check(config),
      // Stands for a template change that races with this one and makes the new text invalid.
      reload: async () => ({
        applied: false,
        issues: [{ file: 'gms.ini', section: 'service.checker', option: '_service', rule: 'template removed' }],
      }),
    });
    const error = await writer
      .change((document) => document.set('service.checker', 'custom', 'two'))
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(GmsError);
    expect((error as GmsError).message).to.contain('[service.checker] _service: template removed');
    expect(await fileText()).to.equal(before);
  });

  it('writes through a symbolic link to the real file, keeping the link', async () => {
    const folder = await tempFolder();
    try {
      const real = path.join(folder, 'real.ini');
      const link = path.join(folder, 'gms.ini');
      await writeFile(real, configText(folder, SERVICES));
      await symlink(real, link);
      const engine = await Engine.start({ configFile: link, logger: createMemoryLogger() });
      try {
        const writer = new ConfigWriter(engine);
        await writer.change((document) => document.set('service.checker', 'custom', 'linked'));
        expect((await lstat(link)).isSymbolicLink()).to.equal(true);
        expect(await readFile(real, 'utf8')).to.contain('custom = linked\n');
        expect(engine.services.get('checker')?.options.custom).to.equal('linked');
      } finally {
        await engine.close();
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
