import { expect } from 'chai';
import request from 'supertest';
import { type EngineFixture, startEngine, tempFolder } from './helpers/engine-fixture.ts';
import { pluginFolderWith } from './helpers/plugin-folder.ts';

/** Every byte value, to prove files round-trip untouched. */
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

describe('Service API (seed 004)', () => {
  let fixture: EngineFixture;
  const http = () => request(fixture.app.callback());

  before(async () => {
    const folder = await tempFolder();
    const plugins = await pluginFolderWith(folder, ['echo']);
    fixture = await startEngine(
      `
[service.echo]
_type = builtin
_service = echo
_ttl = 120

[service.green-echo]
_type = builtin
_service = echo
_color = green
_size = 3
_overwritable_options = _size
`,
      `plugins_dir = ${plugins}\ncors_origins = https://app.example.com`,
      folder,
    );
  });
  after(() => fixture.close());

  it('creates from a urlencoded body: _ parameters to the plugin, the rest stored as user data', async () => {
    const response = await http()
      .post('/genesys/1/service/echo')
      .set('gms_user', 'device-42')
      .type('form')
      .send({ _color: 'blue', language: 'french', current_location_latitude: '48.8583' })
      .expect(200);
    expect(response.body._id).to.match(/^[0-9a-f-]{36}$/);
    expect(Object.keys(response.body)[0]).to.equal('_id');
    expect(response.body.parameters).to.deep.include({ _color: 'blue', _ttl: 120 });
    expect(response.body.parameters).to.not.have.property('language');
    expect(response.body.gmsUser).to.equal('device-42');
    const record = await fixture.engine.userData.get(response.body.dataId);
    expect(record?.fields).to.deep.equal({ language: 'french', current_location_latitude: '48.8583' });
  });

  it('creates from a multipart body with strings and a file, and keeps the file bytes intact', async () => {
    const response = await http()
      .post('/genesys/1/service/echo')
      .field('_phone_number', '6504669999')
      .field('language', 'french')
      .attach('FileKey', ALL_BYTES, { filename: 'MyPic.png', contentType: 'image/png' })
      .expect(200);
    const record = await fixture.engine.userData.get(response.body.dataId);
    expect(record?.fields).to.deep.equal({ language: 'french' });
    expect(record?.files.FileKey).to.include({ filename: 'MyPic.png', contentType: 'image/png', size: 256 });
    const stored = await fixture.engine.userData.readKey(response.body.dataId, 'FileKey', {});
    expect(stored.kind === 'file' && stored.data.equals(ALL_BYTES)).to.equal(true);
  });

  it('creates from a JSON body', async () => {
    const response = await http().post('/genesys/1/service/echo').send({ _size: 4, note: 'hi' }).expect(200);
    expect(response.body.parameters._size).to.equal(4);
    expect((await fixture.engine.userData.get(response.body.dataId))?.fields).to.deep.equal({ note: 'hi' });
  });

  it('keeps JSON values of user data as text', async () => {
    const body = '{"count": 3, "vip": true, "tags": ["a", "b"], "note": "hi"}';
    const response = await http().post('/genesys/1/service/echo').type('json').send(body).expect(200);
    const fields = (await fixture.engine.userData.get(response.body.dataId))?.fields ?? {};
    expect(Object.entries(fields)).to.deep.equal([
      ['count', '3'],
      ['vip', 'true'],
      ['tags', '["a","b"]'],
      ['note', 'hi'],
    ]);
  });

  it('stores no user data when the request has none', async () => {
    const response = await http().post('/genesys/1/service/echo').type('form').send({ _color: 'red' }).expect(200);
    expect(response.body.dataId).to.equal(null);
  });

  it('lets configured options win over request values, except _overwritable_options', async () => {
    const response = await http()
      .post('/genesys/1/service/green-echo')
      .type('form')
      .send({ _color: 'blue', _size: '7' })
      .expect(200);
    expect(response.body.parameters._color).to.equal('green');
    expect(response.body.parameters._size).to.equal(7);
  });

  it('refuses a parameter that breaks the template schema, naming the field', async () => {
    const response = await http().post('/genesys/1/service/echo').type('form').send({ _color: 'purple' }).expect(400);
    expect(response.body).to.include({ code: 'GMS_INVALID_PARAMETER', exception: 'com.genesyslab.gsg.GSGException' });
    expect(response.body.message).to.contain('_color').and.contain('red, green, blue');
  });

  it('keeps nothing when the plugin refuses a Create: the user data stored beside it is deleted', async () => {
    const response = await http()
      .post('/genesys/1/service/echo')
      .type('form')
      .send({ _label: 'refuse', secret: 'x' })
      .expect(400);
    expect(response.body.message).to.contain('refuse');
    const dataId = await fixture.engine.storage.namespace<string>('plugin:echo:refused').get('refuse');
    expect(dataId).to.be.a('string').and.not.equal('');
    expect(await fixture.engine.userData.get(dataId ?? '')).to.equal(undefined);
  });

  it('refuses user data over the limits before the plugin is called', async () => {
    const refused = fixture.engine.storage.namespace<string>('plugin:echo:refused');
    await refused.delete('refuse');
    const response = await http()
      .post('/genesys/1/service/echo')
      .type('form')
      .send({ _label: 'refuse', big: 'x'.repeat(fixture.engine.config.storage.max_value_bytes + 1) })
      .expect(413);
    expect(response.body.code).to.equal('GMS_STORAGE_TOO_LARGE');
    expect(await refused.get('refuse')).to.equal(undefined);
  });

  it('answers an unexpected plugin failure with 500 and a reference, never the internals', async () => {
    const response = await http().post('/genesys/1/service/echo').type('form').send({ _label: 'crash' }).expect(500);
    expect(response.body.code).to.equal('GMS_INTERNAL');
    expect(response.text).to.not.contain('secret').and.not.contain('/somewhere').and.not.contain('at ');
    const reference = /reference ([0-9a-f-]+)/.exec(response.body.message)?.[1];
    expect(fixture.logger.lines.some((line) => line.level === 'error')).to.equal(true);
    expect(reference).to.be.a('string');
  });

  it('answers 404 naming the section to add for an unknown service', async () => {
    const response = await http().post('/genesys/1/service/nope').type('form').send({}).expect(404);
    expect(response.body.message).to.contain('[service.nope]');
  });

  it('dispatches a service-specific request to the live instance, with gms_user and data id kept', async () => {
    const created = await http()
      .post('/genesys/1/service/echo')
      .set('gms_user', 'device-7')
      .type('form')
      .send({ _color: 'green', note: 'n' })
      .expect(200);
    const response = await http()
      .post(`/genesys/1/service/${created.body._id}/state`)
      .type('form')
      .send({ extra: '1' })
      .expect(200);
    expect(response.body).to.deep.equal({
      state: { color: 'green' },
      dataId: created.body.dataId,
      gmsUser: 'device-7',
      fields: { extra: '1' },
    });
  });

  it('answers 400 for a request the plugin does not have, listing those it has', async () => {
    const created = await http().post('/genesys/1/service/echo').type('form').send({}).expect(200);
    const response = await http().post(`/genesys/1/service/${created.body._id}/dance`).expect(400);
    expect(response.body.code).to.equal('GMS_REQUEST_NOT_SUPPORTED');
    expect(response.body.message).to.contain('dance').and.contain('state, slow');
  });

  it('answers 404 for a request on an unknown id', async () => {
    const response = await http().post('/genesys/1/service/0000/state').expect(404);
    expect(response.body.code).to.equal('GMS_SERVICE_INSTANCE_NOT_FOUND');
  });

  it('deletes an instance after its plugin released it', async () => {
    const created = await http().post('/genesys/1/service/echo').type('form').send({}).expect(200);
    await http().delete(`/genesys/1/service/${created.body._id}`).expect(200);
    await http().post(`/genesys/1/service/${created.body._id}/state`).expect(404);
    await http().delete(`/genesys/1/service/${created.body._id}`).expect(404);
    const released = fixture.engine.storage.namespace<string>('plugin:echo:released');
    expect(await released.get(created.body._id)).to.equal('yes');
  });

  it('answers 405 when a GET-only service is posted to and a created service is read with GET', async () => {
    const response = await http().get('/genesys/1/service/echo').expect(405);
    expect(response.body.message).to.contain('POST');
  });

  it('refuses a malformed JSON body with 400', async () => {
    const response = await http()
      .post('/genesys/1/service/echo')
      .set('content-type', 'application/json')
      .send('{"_color": ')
      .expect(400);
    expect(response.body.code).to.equal('GMS_INVALID_BODY');
  });

  it('refuses a JSON body that is not an object of fields with 400', async () => {
    const response = await http()
      .post('/genesys/1/service/echo')
      .set('content-type', 'application/json')
      .send('["_color"]')
      .expect(400);
    expect(response.body.code).to.equal('GMS_INVALID_BODY');
    expect(response.body.message).to.contain('object of fields');
  });

  it('keeps urlencoded field names as sent, brackets and repeated names included', async () => {
    const response = await http()
      .post('/genesys/1/service/echo')
      .type('form')
      .send('location[city]=Paris&tag=a&tag=b&note=caf%C3%A9+au+lait')
      .expect(200);
    const record = await fixture.engine.userData.get(response.body.dataId);
    expect(record?.fields).to.deep.equal({ 'location[city]': 'Paris', tag: '["a","b"]', note: 'café au lait' });
  });

  it('refuses a urlencoded body with more than 1000 fields with 413, storing nothing', async () => {
    const body = Array.from({ length: 1001 }, (_, i) => `k${i}=v`).join('&');
    const response = await http().post('/genesys/1/service/echo').type('form').send(body).expect(413);
    expect(response.body.code).to.equal('GMS_BODY_TOO_LARGE');
    expect(response.body.message).to.contain('more than 1000 fields');
  });

  it('sends Vary: Origin on answers to requests without an Origin header, and no CORS headers', async () => {
    const response = await http().get('/genesys/1/admin/node/status');
    expect(response.headers.vary).to.contain('Origin');
    expect(response.headers).to.not.have.property('access-control-allow-origin');
  });

  it('answers CORS headers for configured origins only', async () => {
    const allowed = await http()
      .options('/genesys/1/service/echo')
      .set('Origin', 'https://app.example.com')
      .set('Access-Control-Request-Method', 'POST')
      .expect(204);
    expect(allowed.headers['access-control-allow-origin']).to.equal('https://app.example.com');
    const other = await http().get('/genesys/1/admin/node/status').set('Origin', 'https://evil.example.com');
    expect(other.headers).to.not.have.property('access-control-allow-origin');
  });

  it('renders unknown routes as the GMS error body', async () => {
    const response = await http().get('/genesys/1/nothing-here').expect(404);
    expect(response.body).to.have.keys('message', 'exception', 'code');
  });
});
