import { expect } from 'chai';
import request from 'supertest';
import { ADMIN, type EngineFixture, startEngine } from './helpers/engine-fixture.ts';

describe('get and basic_get services (seed 002)', () => {
  let fixture: EngineFixture;

  before(async () => {
    fixture = await startEngine(`
[service.basic_get]
_service=basic_get
_type=builtin
error_code=200 OK
result=200

[service.basicget404]
_service = basic_get
_type = builtin
error_code = 404 Not Found
result = 404

[service.LoadBalancer-checker]
_type = builtin
_service = get
custom_parameter_1 = value1
custom_parameter_2 = value2
_hidden = not returned
`);
  });
  after(() => fixture.close());

  it('answers the seed example of basic_get byte for byte', async () => {
    const response = await request(fixture.app.callback()).get('/genesys/1/service/basic_get').expect(200);
    expect(response.text).to.equal('{"result":"200","error_code":"200 OK"}');
  });

  it('answers the configured result code of basic_get with an error body', async () => {
    const response = await request(fixture.app.callback()).get('/genesys/1/service/basicget404').expect(404);
    expect(response.body).to.include({ message: '404 Not Found', exception: 'com.genesyslab.gsg.GSGException' });
  });

  it('answers the custom options of get while ONLINE, without underscore options', async () => {
    const response = await request(fixture.app.callback())
      .get('/genesys/1/service/LoadBalancer-checker')
      .set('gms_user', 'dd')
      .expect(200);
    expect(response.text).to.equal('{"custom_parameter_1":"value1","custom_parameter_2":"value2"}');
  });

  it('answers 503 after changestatus/OFFLINE and 200 after ONLINE', async () => {
    const agent = request(fixture.app.callback());
    await agent.post('/genesys/1/admin/node/changestatus/OFFLINE').auth(ADMIN.user, ADMIN.password).expect(200);
    expect((await agent.get('/genesys/1/admin/node/status').expect(200)).text).to.equal('OFFLINE');
    await agent.get('/genesys/1/service/LoadBalancer-checker').expect(503);
    await agent.post('/genesys/1/admin/node/changestatus/ONLINE').auth(ADMIN.user, ADMIN.password).expect(200);
    expect((await agent.get('/genesys/1/admin/node/status').expect(200)).text).to.equal('ONLINE');
    await agent.get('/genesys/1/service/LoadBalancer-checker').expect(200);
    const audit = await agent.get('/genesys/1/admin/audit').auth(ADMIN.user, ADMIN.password).expect(200);
    expect(
      audit.body.slice(0, 2).map((entry: { action: string; details: { status: string } }) => entry.details.status),
    ).to.deep.equal(['ONLINE', 'OFFLINE']);
  });

  it('challenges changestatus without credentials', async () => {
    const response = await request(fixture.app.callback())
      .post('/genesys/1/admin/node/changestatus/OFFLINE')
      .expect(401);
    expect(response.headers['www-authenticate']).to.match(/^Basic /);
    expect(response.body.code).to.equal('GMS_UNAUTHORIZED');
    await request(fixture.app.callback())
      .post('/genesys/1/admin/node/changestatus/OFFLINE')
      .auth(ADMIN.user, 'wrong')
      .expect(401);
    expect(fixture.engine.node.status).to.equal('ONLINE');
  });

  it('refuses an unknown status with a message naming the field', async () => {
    const response = await request(fixture.app.callback())
      .post('/genesys/1/admin/node/changestatus/SLEEPY')
      .auth(ADMIN.user, ADMIN.password)
      .expect(400);
    expect(response.body.message).to.contain('status').and.contain('ONLINE, OFFLINE or SHUTDOWN');
  });

  it('accepts the legacy /gms-web/gms/1/ and /GMS-web/gms/1/ prefixes', async () => {
    await request(fixture.app.callback()).get('/gms-web/gms/1/service/basic_get').expect(200);
    await request(fixture.app.callback()).get('/GMS-web/gms/1/service/basic_get').expect(200);
  });
});
