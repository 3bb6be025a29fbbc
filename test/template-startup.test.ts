import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { type EngineFixture, startEngine, tempFolder } from './helpers/engine-fixture.ts';
import { codeDir, listTree, templateFixtures, uploadTemplate } from './helpers/templates.ts';

/** A temporary folder whose templates folder already holds `zips` (fixture names). */
async function folderWith(zips: readonly string[]): Promise<string> {
  const folder = await tempFolder();
  const templates = path.join(folder, 'service_templates');
  await mkdir(templates, { recursive: true });
  for (const zip of zips) await copyFile(path.join(templateFixtures, zip), path.join(templates, zip));
  return folder;
}

/** The "template not loaded" lines logged at start-up, as `file: reason`. */
function notLoaded(fixture: EngineFixture): string[] {
  return fixture.logger.lines
    .filter((line) => line.level === 'error' && line.message === 'template not loaded')
    .map((line) => `${path.basename(String(line.fields?.template))}: ${String(line.fields?.reason)}`);
}

describe('template zips in the templates folder at start-up', () => {
  const folders: string[] = [];
  const fixtures: EngineFixture[] = [];

  async function start(zips: readonly string[], sections: string, server = ''): Promise<EngineFixture> {
    const folder = await folderWith(zips);
    folders.push(folder);
    const fixture = await startEngine(sections, server, folder);
    fixtures.push(fixture);
    return fixture;
  }

  afterEach(async () => {
    for (const fixture of fixtures.splice(0)) await fixture.engine.close();
    for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
  });

  it('loads a zip placed there before start-up and serves a service on it', async () => {
    const fixture = await start(['health-check.zip'], '[service.hc]\n_service = health-check\n');
    const response = await request(fixture.app.callback()).get('/genesys/1/service/hc').expect(200);
    expect(response.body).to.deep.equal({ region: 'eu-west' });
    expect(notLoaded(fixture)).to.deep.equal([]);
  });

  it('logs each broken zip with its reason and keeps serving when no service uses it', async () => {
    const fixture = await start(
      ['health-check.zip', 'escape-dotdot.zip', 'not-a-zip.zip'],
      '[service.hc]\n_service = health-check\n',
    );
    await request(fixture.app.callback()).get('/genesys/1/service/hc').expect(200);
    const logged = notLoaded(fixture);
    expect(logged).to.have.length(2);
    expect(logged[0]).to.equal('escape-dotdot.zip: entry ../x escapes the target folder');
    expect(logged[1]).to.match(/^not-a-zip\.zip: it is not a readable zip archive/);
    // The broken files are the administrator's: they stay where they are, for them to fix or remove.
    expect(await listTree(path.join(fixture.folder, 'service_templates'))).to.have.length(3);
  });

  it('refuses to start when a configured service uses a broken zip, naming the service', async () => {
    const folder = await folderWith(['escape-dotdot.zip']);
    folders.push(folder);
    let failure: unknown;
    await startEngine('[service.broken]\n_service = escape-dotdot\n', '', folder).catch((error: unknown) => {
      failure = error;
    });
    expect(failure).to.be.instanceOf(Error);
    expect((failure as Error).message)
      .to.contain('[service.broken] _service')
      .and.contain('escape-dotdot');
  });

  it('logs a code zip when allow_template_code = false, saying how to allow it', async () => {
    const fixture = await start(['greeter-v1.zip'], '');
    expect(notLoaded(fixture)).to.deep.equal([
      'greeter-v1.zip: template greeter carries handler code (handler.mjs) and [server] allow_template_code is false; ' +
        'set allow_template_code = true to load code',
    ]);
    expect(fixture.engine.registry.template('greeter')).to.equal(undefined);
  });

  it('loads a template-only zip that reuses the plugin of a code zip sorted after it', async () => {
    const fixture = await start(
      ['greeter-alias.zip', 'greeter-v1.zip'],
      '[service.alias]\n_service = greeter-alias\n',
      'allow_template_code = true',
    );
    expect(notLoaded(fixture)).to.deep.equal([]);
    const response = await request(fixture.app.callback())
      .post('/genesys/1/service/alias')
      .type('form')
      .send({})
      .expect(200);
    expect(response.body).to.include({ greeting: 'Hello', plugin: 'greeter' });
  });

  it('unpacks code again at each start and clears folders left by an earlier run', async () => {
    const server = 'allow_template_code = true';
    const first = await start([], '', server);
    expect((await uploadTemplate(first, 'greeter-v1.zip')).status).to.equal(201);
    await first.engine.close();
    fixtures.splice(0);
    const stale = path.join(codeDir(first), 'left-over');
    await mkdir(stale, { recursive: true });
    await writeFile(path.join(stale, 'handler.mjs'), 'export default () => ({});\n');
    const second = await startEngine('[service.greet]\n_service = greeter\n', server, first.folder);
    fixtures.push(second);
    const folders = (await listTree(codeDir(second))).filter((name) => name.endsWith('/'));
    expect(folders).to.have.length(1);
    expect(folders[0]).to.match(/^greeter-/);
    const response = await request(second.app.callback()).post('/genesys/1/service/greet').type('form').send({});
    expect(response.body).to.include({ greeting: 'Hello', version: '1' });
  });

  it('never overwrites the file of another template when an upload takes its file name', async () => {
    const folder = await folderWith([]);
    folders.push(folder);
    // health-check sits in a file named after another template, as an administrator may have copied it.
    await copyFile(
      path.join(templateFixtures, 'health-check.zip'),
      path.join(folder, 'service_templates', 'greeter.zip'),
    );
    const server = 'allow_template_code = true';
    const first = await startEngine('', server, folder);
    fixtures.push(first);
    expect((await uploadTemplate(first, 'greeter-v1.zip')).status).to.equal(201);
    expect(await listTree(path.join(folder, 'service_templates'))).to.deep.equal([
      'greeter-2.zip (684 bytes)',
      'greeter.zip (576 bytes)',
    ]);
    await first.engine.close();
    fixtures.splice(0);
    const second = await startEngine('', server, folder);
    fixtures.push(second);
    expect(second.engine.registry.list().map((record) => record.manifest.name)).to.include.members([
      'greeter',
      'health-check',
    ]);
  });
});
