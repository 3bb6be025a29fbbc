import { expect } from 'chai';
import request from 'supertest';
import { apiSegment } from '../src/http/api-routing.ts';
import { ADMIN, type EngineFixture, startEngine } from './helpers/engine-fixture.ts';

describe('routing by API segment', () => {
  let fixture: EngineFixture;
  const http = () => request(fixture.app.callback());

  before(async () => {
    fixture = await startEngine(`
[service.health]
_type = builtin
_service = get
`);
  });
  after(() => fixture.close());

  it('reads the segment after /genesys/1/, lower-cased, and nothing for other paths', () => {
    expect(apiSegment('/genesys/1/service/health')).to.equal('service');
    expect(apiSegment('/genesys/1/Service')).to.equal('service');
    expect(apiSegment('/GENESYS/1/storage/x/y')).to.equal('storage');
    expect(apiSegment('/genesys/1/')).to.equal('');
    expect(apiSegment('/genesys/2/service/x')).to.equal('');
    expect(apiSegment('/')).to.equal('');
  });

  it('matches paths case-insensitively, as one router did', async () => {
    await http().get('/GENESYS/1/Service/health').expect(200);
  });

  it('answers 405 with Allow for a known path and an unsupported method', async () => {
    const response = await http().put('/genesys/1/service/health').expect(405);
    expect(response.headers.allow).to.include('GET').and.include('POST');
  });

  it('answers the GMS 404 for an unknown API or path', async () => {
    for (const path of ['/genesys/1/nothing/here', '/genesys/1/service', '/elsewhere']) {
      const response = await http().get(path).expect(404);
      expect(response.body.exception, path).to.be.a('string');
    }
  });

  it('serves a router whose routes span two APIs under both (pattern groups)', async () => {
    await http().get('/genesys/1/admin/patterns').auth(ADMIN.user, ADMIN.password).expect(200);
    const response = await http().get('/genesys/1/patterns/group/none').auth(ADMIN.user, ADMIN.password);
    expect(response.status).to.equal(404);
    expect(response.text).to.match(/none/);
  });
});
