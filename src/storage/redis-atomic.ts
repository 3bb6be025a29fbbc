/** Atomic operations on Redis: each one is a single server-side script, atomic across every process. */
import { luaScript, type RedisClient, runScript } from './redis-scripts.ts';
import type { AtomicOperations } from './types.ts';

const COMPARE_AND_SET = luaScript(`
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if current ~= ARGV[2] then return 0 end
elseif current then
  return 0
end
if ARGV[3] == '1' then
  redis.call('SET', KEYS[1], ARGV[4], 'PX', ARGV[5])
else
  redis.call('DEL', KEYS[1])
end
return 1`);

const INCREMENT = luaScript(`
local value = redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return value`);

/** AtomicOperations on Redis keys `<prefix><key>`. */
export class RedisAtomicOperations implements AtomicOperations {
  constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.client.get(this.prefix + key)) ?? undefined;
  }

  async takeIfFree(key: string, value: string, ttlMs: number): Promise<boolean> {
    const reply = await this.client.set(this.prefix + key, value, {
      expiration: { type: 'PX', value: Math.max(1, Math.round(ttlMs)) },
      condition: 'NX',
    });
    return reply === 'OK';
  }

  async compareAndSet(
    key: string,
    expected: string | undefined,
    next: string | undefined,
    ttlMs: number,
  ): Promise<boolean> {
    const reply = await runScript(
      this.client,
      COMPARE_AND_SET,
      [this.prefix + key],
      [
        expected === undefined ? '0' : '1',
        expected ?? '',
        next === undefined ? '0' : '1',
        next ?? '',
        Math.max(1, Math.round(ttlMs)),
      ],
    );
    return reply === 1;
  }

  async increment(key: string, by: number, ttlMs: number): Promise<number> {
    const reply = await runScript(this.client, INCREMENT, [this.prefix + key], [by, Math.max(1, Math.round(ttlMs))]);
    return Number(reply);
  }
}
