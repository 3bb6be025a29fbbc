import { randomBytes } from 'node:crypto';
import { createClient } from '@redis/client';
import { expect } from 'chai';
import request from 'supertest';
import { adminClient } from './helpers/admin-client.ts';
import { type EngineFixture, startEngine } from './helpers/engine-fixture.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Connects to Redis, or answers undefined when it cannot be reached. */
async function connectRedis() {
  const client = createClient({ url: REDIS_URL, socket: { reconnectStrategy: false, connectTimeout: 1000 } });
  client.on('error', () => {
    // A refused connection is reported by connect() below.
  });
  return client.connect().then(
    () => client,
    () => undefined,
  );
}

const redis = await connectRedis();

interface Entry {
  seq: number;
  time: string;
  user: string;
  action: string;
  target: string;
  details: Record<string, unknown>;
}

describe('admin API: audit', () => {
  let fixture: EngineFixture;
  let api: ReturnType<typeof adminClient>;

  beforeEach(async () => {
    fixture = await startEngine('[service.checker]\n_service = get\n');
    api = adminClient(fixture.app);
  });
  afterEach(() => fixture.close());

  const audit = async (query = ''): Promise<Entry[]> =>
    (await api.get(`/genesys/1/admin/audit${query}`).expect(200)).body;

  it('records who changed what and when, newest first', async () => {
    const started = Date.now();
    await api.post('/genesys/1/admin/services', { name: 'svc', template: 'get', options: { a: '1' } }).expect(201);
    await api.patch('/genesys/1/admin/services/svc', { set: { a: '2' }, rename: { a: 'b' } }).expect(200);
    await api.delete('/genesys/1/admin/services/svc').expect(200);
    await api.post('/genesys/1/admin/patterns', { group: 'g', patterns: { p: '1.*' } }).expect(201);
    await api.put('/genesys/1/admin/patterns/g/q', { pattern: '2.*' }).expect(201);
    await api.put('/genesys/1/admin/patterns/g/q', { pattern: '3.*' }).expect(200);
    await api.delete('/genesys/1/admin/patterns/g/q').expect(200);
    await api.delete('/genesys/1/admin/patterns/g').expect(200);
    const entries = await audit();
    expect(entries.map((entry) => [entry.action, entry.target])).to.deep.equal([
      ['pattern-group.delete', 'pattern.g'],
      ['pattern.delete', 'pattern.g'],
      ['pattern.update', 'pattern.g'],
      ['pattern.create', 'pattern.g'],
      ['pattern-group.create', 'pattern.g'],
      ['service.delete', 'service.svc'],
      ['service.update', 'service.svc'],
      ['service.create', 'service.svc'],
    ]);
    for (const entry of entries) {
      expect(entry.user).to.equal('admin');
      expect(Date.parse(entry.time)).to.be.within(started - 1000, Date.now() + 1000);
    }
    expect(entries.map((entry) => entry.seq)).to.deep.equal([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(entries[6]?.details).to.deep.equal({ set: { a: '2' }, rename: { a: 'b' } });
    expect(entries[7]?.details).to.deep.include({ template: 'get' });
    expect(entries[3]?.details).to.deep.equal({ name: 'q', pattern: '2.*' });
  });

  it('records nothing for a refused change', async () => {
    await api.patch('/genesys/1/admin/services/checker', { set: { _online_code: 'x' } }).expect(400);
    await api.post('/genesys/1/admin/patterns', { group: 'g', patterns: { p: '(a+)+' } }).expect(400);
    expect(await audit()).to.deep.equal([]);
  });

  it('masks the values of options whose name looks secret', async () => {
    await api
      .post('/genesys/1/admin/services', { name: 'svc', template: 'get', options: { api_token: 't', password: 'p' } })
      .expect(201);
    const [entry] = await audit();
    expect(entry?.details.options).to.include({ api_token: '********', password: '********', _service: 'get' });
  });

  it('answers at most `limit` entries, and refuses a bad limit', async () => {
    for (const value of ['1', '2', '3']) {
      await api.patch('/genesys/1/admin/services/checker', { set: { value } }).expect(200);
    }
    const two = await audit('?limit=2');
    expect(two.map((entry) => entry.details.set)).to.deep.equal([{ value: '3' }, { value: '2' }]);
    for (const limit of ['0', '1001', 'x', '1.5']) {
      const response = await api.get(`/genesys/1/admin/audit?limit=${limit}`).expect(400);
      expect(response.body.message).to.contain('limit');
    }
  });

  it('challenges requests without the admin credentials', async () => {
    await request(fixture.app.callback()).get('/genesys/1/admin/audit').expect(401);
  });
});

describe('admin API: audit across a cluster (Redis)', () => {
  const title = 'lists on one node the changes made on another';
  if (!redis) {
    if (process.env.CI === 'true') {
      it(title, () => {
        throw new Error(`Redis is not reachable at ${REDIS_URL}, and CI=true requires every Redis test to run`);
      });
    } else {
      console.log(`Redis audit test pending: Redis is not reachable at ${REDIS_URL}`);
      it(`${title} (pending: Redis not reachable at ${REDIS_URL})`);
    }
    return;
  }
  const prefix = `test:${randomBytes(6).toString('hex')}:`;
  const storage = `[storage]\nbackend = redis\nurl = ${REDIS_URL}\nkey_prefix = ${prefix}\n`;
  let nodes: EngineFixture[] = [];

  before(async () => {
    nodes = [await startEngine(storage), await startEngine(storage)];
  });
  after(async () => {
    for (const node of nodes) await node.close();
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 })) {
      if (keys.length > 0) await redis.del(keys);
    }
    await redis.close();
  });

  it(title, async () => {
    const [first, second] = nodes.map((node) => adminClient(node.app));
    await first?.post('/genesys/1/admin/services', { name: 'svc', template: 'get' }).expect(201);
    await second?.post('/genesys/1/admin/patterns', { group: 'g' }).expect(201);
    const response = await second?.get('/genesys/1/admin/audit').expect(200);
    expect(response?.body.map((entry: Entry) => [entry.seq, entry.action])).to.deep.equal([
      [2, 'pattern-group.create'],
      [1, 'service.create'],
    ]);
  });
});
