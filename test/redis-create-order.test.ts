import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from '@redis/client';
import { expect } from 'chai';
import { CALL_MATCHING_SECTIONS, post } from './helpers/call-matching.ts';
import { type EngineFixture, startEngine } from './helpers/engine-fixture.ts';
import { REDIS_URL, redisSuite } from './helpers/redis.ts';

describe('a Create on Redis, as the Redis server sees it', () => {
  const keyPrefix = redisSuite();
  let fixture: EngineFixture | undefined;
  const monitor = createClient({ url: REDIS_URL });
  const seen: string[] = [];

  before(async () => {
    fixture = await startEngine(
      `[storage]\nbackend = redis\nurl = ${REDIS_URL}\nkey_prefix = ${keyPrefix}\n${CALL_MATCHING_SECTIONS}`,
    );
    await monitor.connect();
    await monitor.monitor((line) => {
      if (line.includes(keyPrefix)) seen.push(line);
    });
  });
  after(async () => {
    if (monitor.isOpen) monitor.destroy();
    await fixture?.close();
  });

  it('stores the user data record before the booking script runs, so no match sees a booking without its data', async () => {
    await post(fixture!.app, 'locking-ri', { _phone_number: '6504669999', language: 'french' }).expect(200);
    const instanceWritten = () => seen.some((line) => line.includes(`${keyPrefix}kv:services::`));
    for (let waited = 0; !instanceWritten() && waited < 2000; waited += 20) await sleep(20);
    const dataAt = seen.findIndex((line) => /"SET"/i.test(line) && line.includes(`${keyPrefix}atomic:data::`));
    const bookingAt = seen.findIndex((line) => /"EVAL(SHA)?"/i.test(line));
    const instanceAt = seen.findIndex((line) => line.includes(`${keyPrefix}kv:services::`));
    expect(dataAt, seen.join('\n')).to.be.greaterThan(-1);
    expect(bookingAt, seen.join('\n')).to.be.greaterThan(dataAt);
    expect(instanceAt, seen.join('\n')).to.be.greaterThan(bookingAt);
  });
});
