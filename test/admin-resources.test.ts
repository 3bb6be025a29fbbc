import { readFile, writeFile } from 'node:fs/promises';
import { expect } from 'chai';
import type Koa from 'koa';
import request from 'supertest';
import { adminClient } from './helpers/admin-client.ts';
import { post } from './helpers/call-matching.ts';
import { type EngineFixture, startEngine } from './helpers/engine-fixture.ts';
import { deleteKeysWithPrefix, REDIS_URL, requireRedis, uniqueKeyPrefix } from './helpers/redis.ts';

/** Groups as an admin writes them: comments, inline comments, odd spacing, an unknown section. */
const SECTIONS = `
; access numbers of the iPhone app
[resource.iPhoneService]
_allocation_strategy = locking   ; one caller per number
dnis1 = 6504664131
dnis2=6504664132

; spare numbers, not used by any service yet
[resource.spare]
range1 = 8005550000-8005550009

[service.iPhoneService]
_type = builtin
_service = request-interaction
_resource_group = iPhoneService

; any group, sent by the request
[service.any-group]
_type = builtin
_service = request-interaction

[vendor.unknown]
keep = me
`;

const BASE = '/genesys/1/admin/resources';

/** Books a number of `group` through a request-interaction Create; answers its `_id` and `_access_number`. */
async function reserve(app: Koa, group: string): Promise<{ id: string; number: string }> {
  const created = await (group === 'iPhoneService'
    ? post(app, 'iPhoneService', {})
    : post(app, 'any-group', { _resource_group: group })
  ).expect(200);
  return { id: created.body._id, number: created.body._access_number };
}

describe('admin API: resource groups', () => {
  let fixture: EngineFixture;
  let api: ReturnType<typeof adminClient>;
  let before: string;

  beforeEach(async () => {
    fixture = await startEngine(SECTIONS);
    api = adminClient(fixture.app);
    before = await readFile(fixture.configFile, 'utf8');
  });
  afterEach(() => fixture.close());

  const fileText = () => readFile(fixture.configFile, 'utf8');

  it('creates a group with numbers, ranges, strategy and timeout, appended to the file and served at once', async () => {
    const response = await api
      .post(BASE, {
        group: 'paris',
        numbers: ['+33140000000'],
        ranges: ['+33140000010 - +33140000012'],
        strategy: 'round-robin',
        booking_expiration_timeout: 45,
      })
      .expect(201);
    expect(response.body).to.deep.equal({
      name: 'paris',
      strategy: 'round-robin',
      booking_expiration_timeout: 45,
      total: 4,
      available: 4,
      reserved: 0,
      entries: [
        { option: 'dnis1', value: '+33140000000' },
        { option: 'range1', value: '+33140000010-+33140000012' },
      ],
    });
    expect(await fileText()).to.equal(
      `${before}\n[resource.paris]\n_allocation_strategy = round-robin\n_booking_expiration_timeout = 45\n` +
        'dnis1 = +33140000000\nrange1 = +33140000010-+33140000012\n',
    );
    const read = await api.get(`${BASE}/paris`).expect(200);
    expect(read.body).to.include({ total: 4, available: 4, reserved: 0 });
    expect(read.body.entries).to.have.lengthOf(2);
    const booked = await post(fixture.app, 'any-group', { _resource_group: 'paris' }).expect(200);
    expect(booked.body._access_number).to.equal('+33140000000');
    const audit = await api.get('/genesys/1/admin/audit?limit=1').expect(200);
    expect(audit.body[0]).to.include({ user: 'admin', action: 'resource-group.create', target: 'resource.paris' });
  });

  it('refuses a bad group with 400 naming the field, an existing one with 409, and leaves the file as it was', async () => {
    const cases: Array<[object, number, string, string]> = [
      [{ group: 'x', numbers: ['12a'] }, 400, 'GMS_INVALID_PARAMETER', 'numbers[0]'],
      [{ group: 'x', numbers: ['100-200'] }, 400, 'GMS_INVALID_PARAMETER', 'send a range in ranges'],
      [{ group: 'x', ranges: ['100'] }, 400, 'GMS_INVALID_PARAMETER', 'send a single number in numbers'],
      [{ group: 'x', ranges: ['200-100'] }, 400, 'GMS_INVALID_PARAMETER', 'ranges[0]'],
      [{ group: 'x', numbers: ['1'], strategy: 'fifo' }, 400, 'GMS_INVALID_PARAMETER', 'strategy'],
      [{ group: 'x', numbers: ['1'], booking_expiration_timeout: 0 }, 400, 'GMS_INVALID_PARAMETER', 'booking'],
      [{ group: 'bad name', numbers: ['1'] }, 400, 'GMS_INVALID_PARAMETER', 'group'],
      [{ group: 'x' }, 400, 'GMS_CONFIG_CHANGE_INVALID', 'has no access numbers'],
      [{ group: 'x', numbers: ['8005550003'] }, 400, 'GMS_CONFIG_CHANGE_INVALID', '[resource.spare] range1'],
      [{ group: 'spare', numbers: ['1'] }, 409, 'GMS_RESOURCE_GROUP_EXISTS', 'spare'],
    ];
    for (const [body, status, code, text] of cases) {
      const response = await api.post(BASE, body).expect(status);
      expect(response.body.code, JSON.stringify(body)).to.equal(code);
      expect(response.body.message).to.contain(text);
    }
    expect(await fileText()).to.equal(before);
  });

  it('adds numbers and ranges after the last line of the group, named after the options already there', async () => {
    const response = await api
      .post(`${BASE}/iPhoneService/numbers`, { numbers: ['6504664133'], ranges: ['6504664200-6504664209'] })
      .expect(200);
    expect(response.body).to.include({ total: 13, available: 13, reserved: 0 });
    expect(await fileText()).to.equal(
      before.replace('dnis2=6504664132\n', 'dnis2=6504664132\ndnis3=6504664133\nrange1=6504664200-6504664209\n'),
    );
    const overlap = await api.post(`${BASE}/iPhoneService/numbers`, { numbers: ['8005550009'] }).expect(400);
    expect(overlap.body.message).to.contain('also declared by [resource.spare] range1');
    await api.post(`${BASE}/nowhere/numbers`, { numbers: ['1'] }).expect(404);
    await api.post(`${BASE}/spare/numbers`, {}).expect(400);
  });

  it('changes the strategy and booking timeout in place, and null restores the default', async () => {
    const changed = await api
      .patch(`${BASE}/iPhoneService`, { strategy: 'random', booking_expiration_timeout: 90 })
      .expect(200);
    expect(changed.body).to.include({ strategy: 'random', booking_expiration_timeout: 90, total: 2 });
    expect(await fileText()).to.equal(
      before
        .replace('_allocation_strategy = locking   ;', '_allocation_strategy = random   ;')
        .replace('dnis2=6504664132\n', 'dnis2=6504664132\n_booking_expiration_timeout=90\n'),
    );
    const reset = await api.patch(`${BASE}/iPhoneService`, { booking_expiration_timeout: null }).expect(200);
    expect(reset.body.booking_expiration_timeout).to.equal(30);
    await api.patch(`${BASE}/iPhoneService`, {}).expect(400);
    await api.patch(`${BASE}/iPhoneService`, { strategy: 'fifo' }).expect(400);
    await api.patch(`${BASE}/nowhere`, { strategy: 'random' }).expect(404);
  });

  it('removes a number or a range by value or option name, and explains what cannot be removed', async () => {
    const removed = await api.delete(`${BASE}/iPhoneService/numbers/6504664132`).expect(200);
    expect(removed.body).to.include({ total: 1, available: 1, reserved: 0, released: 0 });
    expect(removed.body.entries).to.deep.equal([{ option: 'dnis1', value: '6504664131' }]);
    expect(await fileText()).to.equal(before.replace('dnis2=6504664132\n', ''));
    const inside = await api.delete(`${BASE}/spare/numbers/8005550004`).expect(404);
    expect(inside.body.message).to.contain('inside range1 = 8005550000-8005550009');
    const unknown = await api.delete(`${BASE}/spare/numbers/123`).expect(404);
    expect(unknown.body.message).to.contain('range1 = 8005550000-8005550009');
    const last = await api.delete(`${BASE}/spare/numbers/range1`).expect(400);
    expect(last.body.message).to.contain('has no access numbers');
    await api.delete(`${BASE}/iPhoneService/numbers/dnis1?force=maybe`).expect(400);
  });

  it('refuses to remove a reserved number naming the service and _id, then removes it with ?force=true', async () => {
    const { id, number } = await reserve(fixture.app, 'iPhoneService');
    const refused = await api.delete(`${BASE}/iPhoneService/numbers/${number}`).expect(409);
    expect(refused.body.code).to.equal('GMS_RESOURCE_NUMBERS_RESERVED');
    expect(refused.body.message).to.contain(`held by service iPhoneService (_id ${id})`);
    expect(refused.body.message).to.contain('?force=true');
    expect(await fileText()).to.equal(before);
    expect((await api.get(`${BASE}/iPhoneService`).expect(200)).body).to.include({ reserved: 1, available: 1 });
    const forced = await api.delete(`${BASE}/iPhoneService/numbers/${number}?force=true`).expect(200);
    expect(forced.body).to.include({ total: 1, available: 1, reserved: 0, released: 1 });
    const match = await post(fixture.app, 'match-interaction', { _access_number: number });
    expect(match.status).to.equal(404);
    const audit = await api.get('/genesys/1/admin/audit?limit=1').expect(200);
    expect(audit.body[0]).to.include({ action: 'resource-numbers.remove' });
    expect(audit.body[0].details).to.include({ force: true });
  });

  it('refuses a range holding a reserved number too', async () => {
    const { id } = await reserve(fixture.app, 'spare');
    const refused = await api.delete(`${BASE}/spare/numbers/8005550000-8005550009`).expect(409);
    expect(refused.body.message).to.contain(`held by service any-group (_id ${id})`);
  });

  it('deletes a group with its comment; refuses one a service names, and one with reservations unless forced', async () => {
    const inUse = await api.delete(`${BASE}/iPhoneService`).expect(409);
    expect(inUse.body.code).to.equal('GMS_RESOURCE_GROUP_IN_USE');
    expect(inUse.body.message).to.contain('service(s) iPhoneService');
    const { id } = await reserve(fixture.app, 'spare');
    const reserved = await api.delete(`${BASE}/spare`).expect(409);
    expect(reserved.body.code).to.equal('GMS_RESOURCE_GROUP_RESERVED');
    expect(reserved.body.message).to.contain(`_id ${id}`);
    expect(await fileText()).to.equal(before);
    const deleted = await api.delete(`${BASE}/spare?force=true`).expect(200);
    expect(deleted.body).to.deep.equal({ name: 'spare', deleted: true, released: 1 });
    expect(await fileText()).to.equal(
      before.replace(
        '; spare numbers, not used by any service yet\n[resource.spare]\nrange1 = 8005550000-8005550009\n\n',
        '',
      ),
    );
    await api.get(`${BASE}/spare`).expect(404);
    await api.delete(`${BASE}/spare`).expect(404);
  });

  it('answers 409 and keeps a hand edit made since the engine loaded the file', async () => {
    const edited = `${before}; edited by hand\n`;
    await writeFile(fixture.configFile, edited);
    const response = await api.post(`${BASE}/spare/numbers`, { numbers: ['1'] }).expect(409);
    expect(response.body.code).to.equal('GMS_CONFIG_CHANGED_ON_DISK');
    expect(await fileText()).to.equal(edited);
  });

  it('requires Basic auth and a JSON body', async () => {
    await adminClient(fixture.app).get(BASE).expect(200);
    await request(fixture.app.callback())
      .post(BASE)
      .send({ group: 'x', numbers: ['1'] })
      .expect(401);
    await api.post(BASE, { group: 'x' }).type('form').expect(415);
  });
});

describe('admin API: resource groups on Redis', () => {
  const keyPrefix = uniqueKeyPrefix();
  let fixture: EngineFixture | undefined;

  before(async function () {
    await requireRedis(this);
    fixture = await startEngine(
      `[storage]\nbackend = redis\nurl = ${REDIS_URL}\nkey_prefix = ${keyPrefix}\n${SECTIONS}`,
    );
  });
  after(async () => {
    await fixture?.close();
    if (fixture) await deleteKeysWithPrefix(keyPrefix);
  });

  it('refuses a reserved number, then releases and removes it with ?force=true', async () => {
    if (!fixture) throw new Error('the engine did not start');
    const api = adminClient(fixture.app);
    const { id, number } = await reserve(fixture.app, 'iPhoneService');
    const refused = await api.delete(`${BASE}/iPhoneService/numbers/${number}`).expect(409);
    expect(refused.body.message).to.contain(`held by service iPhoneService (_id ${id})`);
    const forced = await api.delete(`${BASE}/iPhoneService/numbers/${number}?force=true`).expect(200);
    expect(forced.body).to.include({ total: 1, available: 1, reserved: 0, released: 1 });
    await post(fixture.app, 'match-interaction', { _access_number: number }).expect(404);
  });
});
