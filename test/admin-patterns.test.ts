import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { ConfigError } from '../src/config/config-error.ts';
import { Engine } from '../src/engine.ts';
import { createMemoryLogger } from '../src/logger.ts';
import { adminClient } from './helpers/admin-client.ts';
import { ADMIN, configText, type EngineFixture, startEngine, tempFolder } from './helpers/engine-fixture.ts';

/** Seed 002's Patterns tab. */
const SEED_GROUP = `
; numbers that may not request a callback
[pattern.Callback_exceptions]
exception1 = 555.*
ex2 = 123.*
ex3 = a
ddd = 12345
`;

describe('admin API: pattern groups', () => {
  let fixture: EngineFixture;
  let api: ReturnType<typeof adminClient>;
  let before: string;

  beforeEach(async () => {
    fixture = await startEngine(SEED_GROUP);
    api = adminClient(fixture.app);
    before = await readFile(fixture.configFile, 'utf8');
  });
  afterEach(() => fixture.close());

  const fileText = () => readFile(fixture.configFile, 'utf8');
  const testValue = (group: string, value: string) =>
    request(fixture.app.callback())
      .post(`/genesys/1/patterns/group/${group}`)
      .auth(ADMIN.user, ADMIN.password)
      .type('form')
      .send({ test_value: value });

  it('tells which patterns of a group match the whole value, as seed 002 shows for test_value=123', async () => {
    const response = await testValue('Callback_exceptions', '123').expect(200);
    expect(response.body).to.deep.equal({
      group: 'Callback_exceptions',
      value: '123',
      matches: [{ name: 'ex2', pattern: '123.*' }],
    });
    const several = await testValue('Callback_exceptions', '12345').expect(200);
    expect(several.body.matches).to.deep.equal([
      { name: 'ex2', pattern: '123.*' },
      { name: 'ddd', pattern: '12345' },
    ]);
    const none = await testValue('Callback_exceptions', 'x555').expect(200);
    expect(none.body.matches).to.deep.equal([]);
  });

  it('accepts test_value as multipart too, and refuses a missing one or an unknown group', async () => {
    const multipart = await request(fixture.app.callback())
      .post('/genesys/1/patterns/group/Callback_exceptions')
      .auth(ADMIN.user, ADMIN.password)
      .field('test_value', 'a')
      .expect(200);
    expect(multipart.body.matches).to.deep.equal([{ name: 'ex3', pattern: 'a' }]);
    const empty = await testValue('Callback_exceptions', '').expect(200);
    expect(empty.body.matches).to.deep.equal([]);
    const noField = await request(fixture.app.callback())
      .post('/genesys/1/patterns/group/Callback_exceptions')
      .auth(ADMIN.user, ADMIN.password)
      .type('form')
      .send({ other: '1' })
      .expect(400);
    expect(noField.body.message).to.contain('test_value');
    expect((await testValue('nope', '1').expect(404)).body.code).to.equal('GMS_PATTERN_GROUP_NOT_FOUND');
    await request(fixture.app.callback())
      .post('/genesys/1/patterns/group/Callback_exceptions')
      .type('form')
      .send({ test_value: '1' })
      .expect(401);
  });

  it('lists and reads groups', async () => {
    const seed = {
      group: 'Callback_exceptions',
      patterns: [
        { name: 'exception1', pattern: '555.*' },
        { name: 'ex2', pattern: '123.*' },
        { name: 'ex3', pattern: 'a' },
        { name: 'ddd', pattern: '12345' },
      ],
    };
    expect((await api.get('/genesys/1/admin/patterns').expect(200)).body).to.deep.equal([seed]);
    expect((await api.get('/genesys/1/admin/patterns/Callback_exceptions').expect(200)).body).to.deep.equal(seed);
    expect((await api.get('/genesys/1/patterns/group/Callback_exceptions').expect(200)).body).to.deep.equal(seed);
    await api.get('/genesys/1/admin/patterns/nope').expect(404);
  });

  it('creates a group with patterns, and an empty one', async () => {
    const created = await api
      .post('/genesys/1/admin/patterns', { group: 'vip', patterns: { france: '\\+33[0-9]{9}' } })
      .expect(201);
    expect(created.body).to.deep.equal({ group: 'vip', patterns: [{ name: 'france', pattern: '\\+33[0-9]{9}' }] });
    await api.post('/genesys/1/admin/patterns', { group: 'empty' }).expect(201, { group: 'empty', patterns: [] });
    expect(await fileText()).to.equal(`${before}\n[pattern.vip]\nfrance = \\+33[0-9]{9}\n\n[pattern.empty]\n`);
    expect((await testValue('vip', '+33612345678').expect(200)).body.matches).to.have.length(1);
  });

  it('adds, replaces and removes patterns, touching only their lines', async () => {
    await api.put('/genesys/1/admin/patterns/Callback_exceptions/ex4', { pattern: '999' }).expect(201);
    await api.put('/genesys/1/admin/patterns/Callback_exceptions/ex2', { pattern: '124.*' }).expect(200);
    const after = await api.delete('/genesys/1/admin/patterns/Callback_exceptions/ex3').expect(200);
    expect(after.body.patterns.map((p: { name: string }) => p.name)).to.deep.equal(['exception1', 'ex2', 'ddd', 'ex4']);
    expect(await fileText()).to.equal(
      before
        .replace('ex2 = 123.*', 'ex2 = 124.*')
        .replace('ex3 = a\n', '')
        .replace('ddd = 12345\n', 'ddd = 12345\nex4 = 999\n'),
    );
  });

  it('deletes a group with its describing comment', async () => {
    await api.delete('/genesys/1/admin/patterns/Callback_exceptions').expect(200, {
      group: 'Callback_exceptions',
      deleted: true,
    });
    // The blank line that separated the group from what precedes goes with it.
    expect(await fileText()).to.equal(before.slice(0, before.indexOf('\n; numbers that')));
    await api.get('/genesys/1/admin/patterns/Callback_exceptions').expect(404);
  });

  it('refuses invalid and catastrophic expressions with 400 naming the pattern; nothing is written', async () => {
    const refused: Array<[string, string]> = [
      ['(unclosed', 'is not a valid regular expression'],
      ['', 'must not be empty'],
      ['(a+)+$', 'exponential time'],
      ['(a|aa)*b', 'exponential time'],
      ['^(\\d+)*$', 'exponential time'],
      ['.*555.*', 'polynomial'],
      ['two\nlines', 'must be one line'],
    ];
    for (const [pattern, rule] of refused) {
      const response = await api.put('/genesys/1/admin/patterns/Callback_exceptions/bad', { pattern });
      expect([response.status, response.body.code], pattern).to.deep.equal([400, 'GMS_PATTERN_INVALID']);
      expect(response.body.message, pattern).to.contain('Pattern bad of group Callback_exceptions').and.contain(rule);
    }
    const inGroup = await api
      .post('/genesys/1/admin/patterns', { group: 'g', patterns: { p: '(x+x+)+y' } })
      .expect(400);
    expect(inGroup.body.message).to.contain('Pattern p of group g');
    expect(await fileText()).to.equal(before);
  });

  it('refuses existing groups, unknown groups and patterns, bad names and bodies', async () => {
    const cases: Array<[() => request.Test, number, string]> = [
      [() => api.post('/genesys/1/admin/patterns', { group: 'Callback_exceptions' }), 409, 'GMS_PATTERN_GROUP_EXISTS'],
      [() => api.post('/genesys/1/admin/patterns', { group: 'a b' }), 400, 'GMS_INVALID_PARAMETER'],
      [
        () => api.post('/genesys/1/admin/patterns', { group: 'g', patterns: { 'a=b': 'x' } }),
        400,
        'GMS_INVALID_PARAMETER',
      ],
      [() => api.post('/genesys/1/admin/patterns', { patterns: {} }), 400, 'GMS_INVALID_PARAMETER'],
      [() => api.put('/genesys/1/admin/patterns/nope/p', { pattern: 'x' }), 404, 'GMS_PATTERN_GROUP_NOT_FOUND'],
      [() => api.put('/genesys/1/admin/patterns/Callback_exceptions/p', { value: 'x' }), 400, 'GMS_INVALID_PARAMETER'],
      [() => api.put('/genesys/1/admin/patterns/Callback_exceptions/p', { pattern: 5 }), 400, 'GMS_INVALID_PARAMETER'],
      [() => api.delete('/genesys/1/admin/patterns/Callback_exceptions/nope'), 404, 'GMS_PATTERN_NOT_FOUND'],
      [() => api.delete('/genesys/1/admin/patterns/nope'), 404, 'GMS_PATTERN_GROUP_NOT_FOUND'],
    ];
    for (const [send, status, code] of cases) {
      const response = await send();
      expect([response.status, response.body.code]).to.deep.equal([status, code]);
    }
    expect(await fileText()).to.equal(before);
  });

  it('refuses a catastrophic pattern written by hand, at live reload as at start-up', async () => {
    await writeFile(fixture.configFile, `${before}bad = (a|a)*\n`);
    const reload = await fixture.engine.reload();
    expect(reload.applied).to.equal(false);
    expect(reload.issues).to.have.length(1);
    expect(reload.issues[0]).to.include({ section: 'pattern.Callback_exceptions', option: 'bad' });
    expect(fixture.engine.config.patterns.get('Callback_exceptions')?.has('bad')).to.equal(false);

    const folder = await tempFolder();
    try {
      const configFile = path.join(folder, 'gms.ini');
      await writeFile(configFile, configText(folder, '[pattern.g]\nbad = (x+)+y\n'));
      const error = await Engine.start({ configFile, logger: createMemoryLogger() }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ConfigError);
      expect((error as ConfigError).message).to.contain('[pattern.g] bad: is refused: matching can take exponential');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
