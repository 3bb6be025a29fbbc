import { readFile, writeFile } from 'node:fs/promises';
import { expect } from 'chai';
import request from 'supertest';
import { ADMIN, type EngineFixture, startEngine } from './helpers/engine-fixture.ts';

describe('admin authentication: each 401 says what to fix', () => {
  let fixture: EngineFixture;

  before(async () => {
    fixture = await startEngine('');
  });
  after(() => fixture.close());

  it('asks for the credentials when none are sent', async () => {
    const response = await request(fixture.app.callback()).get('/genesys/1/admin/resources').expect(401);
    expect(response.headers['www-authenticate']).to.match(/^Basic /);
    expect(response.body).to.include({ code: 'GMS_UNAUTHORIZED', exception: 'com.genesyslab.gsg.GSGException' });
    expect(response.body.message).to.equal(
      'Authentication required: send the [server] username and password as Basic credentials',
    );
  });

  it('says the credentials are wrong, without telling which part', async () => {
    const agent = request(fixture.app.callback());
    const wrongPassword = await agent.get('/genesys/1/admin/resources').auth(ADMIN.user, 'wrong').expect(401);
    const wrongUser = await agent.get('/genesys/1/admin/resources').auth('someone', ADMIN.password).expect(401);
    expect(wrongPassword.body.message).to.equal(
      'Authentication required: the user name or password is wrong; use the [server] username and password',
    );
    expect(wrongUser.body.message).to.equal(wrongPassword.body.message);
    await agent.get('/genesys/1/admin/resources').auth(ADMIN.user, ADMIN.password).expect(200);
  });

  it('says the admin API is disabled while no password is configured', async () => {
    const unprotected = await startEngine('');
    try {
      const text = await readFile(unprotected.configFile, 'utf8');
      await writeFile(unprotected.configFile, text.replace(`password = ${ADMIN.password}`, 'password ='));
      await unprotected.engine.reload();
      const response = await request(unprotected.app.callback())
        .get('/genesys/1/admin/resources')
        .auth(ADMIN.user, '')
        .expect(401);
      expect(response.body.message).to.equal(
        'Authentication required: the admin API is disabled until [server] password is set in the configuration',
      );
    } finally {
      await unprotected.close();
    }
  });
});
