import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { type ChildServer, startChildServer } from '../bench/child-server.ts';
import { ADMIN, configText, repoRoot, tempFolder } from './helpers/engine-fixture.ts';
import { deleteKeysWithPrefix, REDIS_URL, requireRedis, uniqueKeyPrefix } from './helpers/redis.ts';

const POOL_SIZE = 50;
const CREATES = 1000;

const SECTIONS = (prefix: string) => `
[storage]
backend = redis
url = ${REDIS_URL}
key_prefix = ${prefix}

[resource.cluster-pool]
_allocation_strategy = locking
_booking_expiration_timeout = 300
range1 = 7000000000-${7000000000 + POOL_SIZE - 1}

[service.cluster-ri]
_type = builtin
_service = request-interaction
_resource_group = cluster-pool
_ttl = 300

[service.match-interaction]
_type = builtin
_service = match-interaction
`;

async function post(server: ChildServer, service: string, fields: Record<string, string>) {
  const response = await fetch(`${server.url}/genesys/1/service/${service}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, string>,
  };
}

describe('call matching across two server processes on one Redis', function () {
  this.timeout(120_000);
  let folder: string;
  let prefix: string;
  let servers: ChildServer[] = [];

  before(async function () {
    await requireRedis(this);
    folder = await tempFolder();
    prefix = uniqueKeyPrefix();
    const configFile = path.join(folder, 'gms.ini');
    await writeFile(configFile, configText(folder, SECTIONS(prefix)));
    const main = path.join(repoRoot, 'src', 'main.ts');
    servers = await Promise.all([1, 2].map(() => startChildServer(main, ['--config', configFile, '--port', '0'])));
  });

  after(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    if (prefix) await deleteKeysWithPrefix(prefix);
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('gives each of 50 locked numbers to exactly one of 1,000 concurrent creates, then frees them all by matching', async () => {
    const results = await Promise.all(
      Array.from({ length: CREATES }, (_, index) =>
        post(servers[index % 2] as ChildServer, 'cluster-ri', {
          _phone_number: `650466${String(index).padStart(4, '0')}`,
        }),
      ),
    );
    const created = results.flatMap((result, index) => (result.status === 200 ? [{ result, node: index % 2 }] : []));
    const refused = results.filter((result) => result.status === 503);
    expect(created).to.have.lengthOf(POOL_SIZE);
    expect(refused).to.have.lengthOf(CREATES - POOL_SIZE);
    for (const result of refused) {
      expect(Number(result.headers.get('retry-after'))).to.be.within(1, 300);
      expect(result.body.message).to.contain('cluster-pool');
    }
    expect(new Set(created.map(({ result }) => result.body._access_number))).to.have.lengthOf(POOL_SIZE);

    // Each call is matched on the node that did not book it.
    const matches = await Promise.all(
      created.map(({ result, node }) =>
        post(servers[1 - node] as ChildServer, 'match-interaction', {
          _access_number: String(result.body._access_number),
        }),
      ),
    );
    for (const [index, match] of matches.entries()) {
      expect(match.status).to.equal(200);
      expect(match.body._id).to.equal(created[index]?.result.body._id);
    }
    for (const server of servers) {
      const state = await fetch(`${server.url}/genesys/1/admin/resources/cluster-pool`, {
        headers: { authorization: `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString('base64')}` },
      });
      expect(await state.json()).to.include({ total: POOL_SIZE, available: POOL_SIZE, reserved: 0 });
    }
  });
});
