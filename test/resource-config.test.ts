import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError, formatIssue } from '../src/config/config-error.ts';
import { Engine } from '../src/engine.ts';
import { createMemoryLogger } from '../src/logger.ts';
import { post } from './helpers/call-matching.ts';
import { configText, startEngine, tempFolder } from './helpers/engine-fixture.ts';

async function startupProblems(sections: string): Promise<string[]> {
  const folder = await tempFolder();
  const configFile = path.join(folder, 'gms.ini');
  await writeFile(configFile, configText(folder, sections));
  try {
    const engine = await Engine.start({ configFile, logger: createMemoryLogger() });
    await engine.close();
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map(formatIssue);
    throw error;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

describe('resource groups in the configuration', () => {
  it('accepts numbers, ranges, the four strategies and a 100,000-number range on one line', async () => {
    const problems = await startupProblems(`
[resource.a]
_allocation_strategy = local
dnis1 = 6504664131
[resource.b]
_allocation_strategy = Round-Robin
range1 = +3300000-+3300009
[resource.big]
_allocation_strategy = locking
_booking_expiration_timeout = 45
range1 = 6500000000-6500099999
[resource.r]
_allocation_strategy = random
dnis = 0123
`);
    expect(problems).to.deep.equal([]);
  });

  it('refuses every broken option at start-up, naming file, section, option and rule', async () => {
    const problems = await startupProblems(`
[resource.bad]
_allocation_strategy = fastest
_booking_expiration_timeout = soon
_allocation_stategy = locking
dnis1 = 650 466 41
range1 = 200-100
range2 = 10-1000
[resource.empty]
_allocation_strategy = locking
[resource.one]
range1 = 6504664100-6504664199
[resource.two]
dnis1 = 6504664150
[service.orphan]
_service = request-interaction
_resource_group = missing
`);
    const expected = [
      'gms.ini [resource.bad] _allocation_strategy: must be one of random, round-robin, locking, local',
      'gms.ini [resource.bad] _booking_expiration_timeout: must be a whole number of seconds',
      'gms.ini [resource.bad] _allocation_stategy: is not an option of a resource group',
      'gms.ini [resource.bad] dnis1: must be an access number',
      'gms.ini [resource.bad] range1: range 200-100: the first number must not be greater than the last',
      'gms.ini [resource.bad] range2: range 10-1000: both ends must have the same number of digits',
      'gms.ini [resource.empty] (section): has no access numbers',
      'gms.ini [resource.two] dnis1: number 6504664150 is also declared by [resource.one] range1',
      'gms.ini [service.orphan] _resource_group: names resource group missing, which is not configured',
    ];
    expect(problems).to.have.lengthOf(expected.length);
    for (const [index, start] of expected.entries()) expect(problems[index]).to.contain(start);
  });

  it('follows a live reload: numbers change without a restart, live bookings stay, invalid edits are refused', async () => {
    const group = (numbers: string) => `
[resource.pool]
_allocation_strategy = locking
${numbers}
[service.ri]
_service = request-interaction
_resource_group = pool
[service.match-interaction]
_service = match-interaction
`;
    const fixture = await startEngine(group('dnis1 = 1001\ndnis2 = 1002'));
    try {
      const first = await post(fixture.app, 'ri', {}).expect(200);
      const second = await post(fixture.app, 'ri', {}).expect(200);
      const held = new Map([first, second].map((response) => [response.body._access_number, response.body._id]));
      const text = await readFile(fixture.configFile, 'utf8');
      await writeFile(fixture.configFile, text.replace('dnis2 = 1002', 'dnis3 = 1003'));
      const reload = await fixture.engine.reload();
      expect(reload).to.deep.equal({ applied: true, issues: [] });
      expect(await fixture.engine.resources.group('pool')).to.include({ total: 2, available: 1, reserved: 2 });
      expect((await post(fixture.app, 'ri', {}).expect(200)).body._access_number).to.equal('1003');
      await post(fixture.app, 'ri', {}).expect(503);
      const removed = await post(fixture.app, 'match-interaction', { _access_number: '1002' }).expect(200);
      expect(removed.body._id).to.equal(held.get('1002'));
      await post(fixture.app, 'ri', {}).expect(503);
      const current = await readFile(fixture.configFile, 'utf8');
      await writeFile(fixture.configFile, current.replace('= locking', '= eager'));
      const refused = await fixture.engine.reload();
      expect(refused.applied).to.equal(false);
      expect(refused.issues.map(formatIssue)[0]).to.contain('[resource.pool] _allocation_strategy');
      expect(await fixture.engine.resources.group('pool')).to.include({ strategy: 'locking', reserved: 2 });
      await post(fixture.app, 'match-interaction', { _access_number: '1001' }).expect(200);
      expect((await post(fixture.app, 'ri', {}).expect(200)).body._access_number).to.equal('1001');
    } finally {
      await fixture.close();
    }
  });
});
