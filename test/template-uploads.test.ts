import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { ADMIN, type EngineFixture, startEngine } from './helpers/engine-fixture.ts';
import { codeDir, fixtureZip, listTree, reconfigure, templateState, uploadTemplate } from './helpers/templates.ts';

const SERVER = 'allow_template_code = true';

describe('a template-only zip uploaded while running', () => {
  let fixture: EngineFixture;
  /** What the engine holds before any upload: the plugin folders only. */
  let builtinState: Awaited<ReturnType<typeof templateState>>;

  before(async () => {
    fixture = await startEngine('');
    builtinState = await templateState(fixture);
  });
  after(() => fixture.close());

  it('is installed with 201 and described with its option metadata', async () => {
    const response = await uploadTemplate(fixture, 'health-check.zip');
    expect(response.status, response.text).to.equal(201);
    expect(response.body).to.include({ name: 'health-check', version: '1.0.0', plugin: 'get', source: 'zip' });
    expect(response.body.has_code).to.equal(false);
    expect(await listTree(fixture.engine.config.server.templates_dir)).to.deep.equal(['health-check.zip (576 bytes)']);
  });

  it('is listed, with category, mandatory, advanced, request_parameter, description and default of each option', async () => {
    const response = await request(fixture.app.callback())
      .get('/genesys/1/admin/templates')
      .auth(ADMIN.user, ADMIN.password)
      .expect(200);
    const names = response.body.map((template: { name: string }) => template.name);
    expect(names).to.include.members(['basic_get', 'get', 'health-check']);
    expect(names).to.deep.equal([...names].sort());
    const template = response.body[2];
    expect(template.options).to.deep.equal([
      {
        name: '_online_code',
        type: 'integer',
        default: 200,
        category: 'General',
        mandatory: true,
        description: 'HTTP code answered while the node is ONLINE.',
      },
      {
        name: '_offline_code',
        type: 'integer',
        default: 500,
        category: 'General',
        advanced: true,
        mandatory: false,
        description: 'HTTP code answered while the node is OFFLINE.',
      },
      {
        name: 'region',
        type: 'string',
        default: 'eu-west',
        category: 'Routing',
        request_parameter: true,
        label: 'Region',
        mandatory: false,
        description: 'Region reported to the load balancer.',
      },
    ]);
    expect(template.presets).to.deep.equal({ maintenance: { _online_code: '503' }, 'us-east': { region: 'us-east' } });
    expect(template.used_by).to.deep.equal([]);
  });

  it('is read by name', async () => {
    const response = await request(fixture.app.callback())
      .get('/genesys/1/admin/templates/health-check')
      .auth(ADMIN.user, ADMIN.password)
      .expect(200);
    expect(response.body).to.include({ name: 'health-check', engine: '^0.1.0' });
    await request(fixture.app.callback())
      .get('/genesys/1/admin/templates/nothing-here')
      .auth(ADMIN.user, ADMIN.password)
      .expect(404);
  });

  it('serves a service added to the INI file at once, with the template defaults', async () => {
    await reconfigure(fixture, { sections: '[service.hc]\n_service = health-check\n' });
    const agent = request(fixture.app.callback());
    expect((await agent.get('/genesys/1/service/hc').expect(200)).body).to.deep.equal({ region: 'eu-west' });
    await agent.post('/genesys/1/admin/node/changestatus/OFFLINE').auth(ADMIN.user, ADMIN.password).expect(200);
    await agent.get('/genesys/1/service/hc').expect(500);
    await agent.post('/genesys/1/admin/node/changestatus/ONLINE').auth(ADMIN.user, ADMIN.password).expect(200);
    const described = await agent.get('/genesys/1/admin/templates/health-check').auth(ADMIN.user, ADMIN.password);
    expect(described.body.used_by).to.deep.equal(['hc']);
  });

  it('is deleted once no service uses it', async () => {
    await reconfigure(fixture, { sections: '' });
    await request(fixture.app.callback())
      .delete('/genesys/1/admin/templates/health-check')
      .auth(ADMIN.user, ADMIN.password)
      .expect(200, { name: 'health-check', deleted: true });
    expect(await templateState(fixture)).to.deep.equal({ ...builtinState, templatesDir: [], codeDir: [] });
    const audit = await request(fixture.app.callback()).get('/genesys/1/admin/audit').auth(ADMIN.user, ADMIN.password);
    const actions = audit.body.map((entry: { action: string; target: string }) => `${entry.action} ${entry.target}`);
    expect(actions).to.include.members([
      'template.delete template.health-check',
      'template.install template.health-check',
    ]);
  });
});

describe('a zip with handler code uploaded while running (allow_template_code = true)', () => {
  let fixture: EngineFixture;
  let firstCodeFolder: string;

  before(async () => {
    fixture = await startEngine('', SERVER);
  });
  after(() => fixture.close());

  async function create(): Promise<request.Response> {
    return request(fixture.app.callback()).post('/genesys/1/service/greet').type('form').send({ _greeting: 'Hi' });
  }

  it('serves a Create with its own plugin', async () => {
    const response = await uploadTemplate(fixture, 'greeter-v1.zip');
    expect(response.status, response.text).to.equal(201);
    expect(response.body).to.include({ name: 'greeter', plugin: 'greeter', has_code: true });
    await reconfigure(fixture, { sections: '[service.greet]\n_service = greeter\n', server: SERVER });
    const created = await create();
    expect(created.status, created.text).to.equal(200);
    expect(created.body).to.include({ greeting: 'Hi', version: '1', plugin: 'greeter' });
    const ping = await request(fixture.app.callback()).post(`/genesys/1/service/${created.body._id}/ping`).expect(200);
    expect(ping.body).to.deep.equal({ pong: created.body._id, version: '1' });
    const folders = await listTree(codeDir(fixture));
    expect(folders.filter((name) => name.endsWith('/'))).to.have.length(1);
    firstCodeFolder = folders[0] ?? '';
  });

  it('is replaced with ?replace=true: the new version serves and the old code folder is removed', async () => {
    const response = await uploadTemplate(fixture, 'greeter-v2.zip', { replace: true });
    expect(response.status, response.text).to.equal(201);
    expect(response.body).to.include({ version: '2.0.0' });
    expect((await create()).body).to.include({ greeting: 'Hi', version: '2' });
    const folders = (await listTree(codeDir(fixture))).filter((name) => name.endsWith('/'));
    expect(folders).to.have.length(1).and.not.include(firstCodeFolder);
    const stored = await readFile(path.join(fixture.engine.config.server.templates_dir, 'greeter.zip'));
    expect(stored.equals(await fixtureZip('greeter-v2.zip'))).to.equal(true);
  });

  it('refuses a replacement its configured service would not pass, and removes the code it unpacked', async () => {
    await reconfigure(fixture, { sections: '[service.greet]\n_service = greeter\nnote = kept\n', server: SERVER });
    const before = await templateState(fixture);
    const response = await uploadTemplate(fixture, 'greeter-strict.zip', { replace: true });
    expect(response.status, response.text).to.equal(409);
    expect(response.body.code).to.equal('GMS_TEMPLATE_BREAKS_SERVICES');
    expect(response.body.message).to.contain('[service.greet] note: is not an option of this section');
    expect(await templateState(fixture)).to.deep.equal(before);
    expect((await create()).body).to.include({ version: '2' });
  });

  it('keeps a template that reuses its plugin working, and protects that plugin from deletion', async () => {
    expect((await uploadTemplate(fixture, 'greeter-alias.zip')).status).to.equal(201);
    const before = await templateState(fixture);
    await reconfigure(fixture, { sections: '', server: SERVER });
    const response = await request(fixture.app.callback())
      .delete('/genesys/1/admin/templates/greeter')
      .auth(ADMIN.user, ADMIN.password)
      .expect(409);
    expect(response.body.code).to.equal('GMS_TEMPLATE_PLUGIN_IN_USE');
    expect(response.body.message).to.contain('which template(s) greeter-alias use');
    expect(await templateState(fixture)).to.deep.equal(before);
    await request(fixture.app.callback())
      .delete('/genesys/1/admin/templates/greeter-alias')
      .auth(ADMIN.user, ADMIN.password)
      .expect(200);
  });

  it('is deleted: its zip and its code folder are gone', async () => {
    await request(fixture.app.callback())
      .delete('/genesys/1/admin/templates/greeter')
      .auth(ADMIN.user, ADMIN.password)
      .expect(200);
    const state = await templateState(fixture);
    expect(state.templatesDir).to.deep.equal([]);
    expect(state.codeDir).to.deep.equal([]);
    expect(state.registry).to.not.include('greeter@2.0.0').and.not.include('greeter<-greeter');
    await request(fixture.app.callback())
      .get('/genesys/1/admin/templates/greeter')
      .auth(ADMIN.user, ADMIN.password)
      .expect(404);
  });
});

describe('simultaneous template changes', () => {
  let fixture: EngineFixture;

  before(async () => {
    fixture = await startEngine('');
  });
  after(() => fixture.close());

  it('installs one of two simultaneous uploads of a name and refuses the other with 409', async () => {
    const answers = await Promise.all([
      uploadTemplate(fixture, 'health-check.zip'),
      uploadTemplate(fixture, 'health-check.zip'),
    ]);
    expect(answers.map((answer) => answer.status).sort()).to.deep.equal([201, 409]);
    expect(await listTree(fixture.engine.config.server.templates_dir)).to.deep.equal(['health-check.zip (576 bytes)']);
  });

  it('replaces a template-only zip with ?replace=true while a service uses it', async () => {
    await reconfigure(fixture, { sections: '[service.hc]\n_service = health-check\nregion = north\n' });
    expect((await uploadTemplate(fixture, 'health-check.zip', { replace: true })).status).to.equal(201);
    const response = await request(fixture.app.callback()).get('/genesys/1/service/hc').expect(200);
    expect(response.body).to.deep.equal({ region: 'north' });
  });
});
