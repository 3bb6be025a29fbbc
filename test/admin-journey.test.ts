import { readFile, writeFile } from 'node:fs/promises';
import { expect } from 'chai';
import request from 'supertest';
import { adminClient } from './helpers/admin-client.ts';
import { type EngineFixture, startEngine } from './helpers/engine-fixture.ts';

/** The admin's own file: comments, their spacing habits, a section the engine does not know. */
const ADMIN_WRITTEN = `
;;; Production services -- edit with care ;;;

[service.LoadBalancer-checker]
_type=builtin
_service=get
custom_parameter_1=value1   ; shown to the load balancer

[reporting]
# read by another tool, unknown to the engine
enabled = yes
`;

describe('admin journey: a service created through the API, then changed by hand and through the API', () => {
  let fixture: EngineFixture;

  before(async () => {
    fixture = await startEngine(ADMIN_WRITTEN);
  });
  after(() => fixture.close());

  const fileText = () => readFile(fixture.configFile, 'utf8');
  const callAsApp = async () =>
    (await request(fixture.app.callback()).get('/genesys/1/service/iPhoneService').set('gms_user', 'app').expect(200))
      .body;
  const adminView = async () => {
    const response = await adminClient(fixture.app).get('/genesys/1/admin/services/iPhoneService').expect(200);
    return Object.fromEntries(
      (response.body.options as Array<{ name: string; value: string | null }>).map((o) => [o.name, o.value]),
    );
  };

  it('goes from creation to hand edits and API edits, the file always reading as the admin wrote it', async () => {
    const api = adminClient(fixture.app);
    const original = await fileText();

    // 1. Create iPhoneService from a template; the app can call it at once.
    await api
      .post('/genesys/1/admin/services', {
        name: 'iPhoneService',
        template: 'get',
        options: { _ttl: 30, greeting: 'Welcome' },
      })
      .expect(201);
    expect(await callAsApp()).to.deep.equal({ greeting: 'Welcome' });
    const created = await fileText();
    expect(created).to.equal(
      `${original}\n[service.iPhoneService]\n_type = builtin\n_service = get\n_online_code = 200\n_offline_code = 503\n` +
        '_ttl = 30\ngreeting = Welcome\n',
    );

    // 2. The admin changes _ttl by hand, with a comment of their own; the live reload applies it.
    const handEdited = created
      .replace('_ttl = 30\n', '_ttl  =  60 ; longer calls at night\n')
      .replace('greeting = Welcome', 'greeting=Hello');
    await writeFile(fixture.configFile, handEdited);
    expect((await fixture.engine.reload()).applied).to.equal(true);
    expect(await adminView()).to.include({ _ttl: '60', greeting: 'Hello' });
    expect(await callAsApp()).to.deep.equal({ greeting: 'Hello' });

    // 3. Then through the API: only the value changes, the admin's spacing and comment stay.
    await api.patch('/genesys/1/admin/services/iPhoneService', { set: { _ttl: 90 } }).expect(200);
    const apiEdited = await fileText();
    expect(apiEdited).to.equal(handEdited.replace('_ttl  =  60 ;', '_ttl  =  90 ;'));
    expect(await adminView()).to.include({ _ttl: '90' });
    expect(fixture.engine.services.get('iPhoneService')?.options._ttl).to.equal('90');

    // 4. A hand edit the engine has not loaded yet is never overwritten by an API change.
    const pending = apiEdited.replace('greeting=Hello', 'greeting=Bonjour');
    await writeFile(fixture.configFile, pending);
    const conflict = await api.patch('/genesys/1/admin/services/iPhoneService', { set: { _ttl: 120 } }).expect(409);
    expect(conflict.body.code).to.equal('GMS_CONFIG_CHANGED_ON_DISK');
    expect(await fileText()).to.equal(pending);

    // 5. Once loaded, the API applies on top of it; everything the admin wrote is still there.
    await fixture.engine.reload();
    await api.patch('/genesys/1/admin/services/iPhoneService', { set: { _ttl: 120 } }).expect(200);
    expect(await callAsApp()).to.deep.equal({ greeting: 'Bonjour' });
    expect(await fileText()).to.equal(pending.replace('_ttl  =  90 ;', '_ttl  =  120 ;'));
    expect(await fileText()).to.contain(';;; Production services -- edit with care ;;;\n');
    expect(await fileText()).to.contain('[reporting]\n# read by another tool, unknown to the engine\nenabled = yes\n');
  });
});
