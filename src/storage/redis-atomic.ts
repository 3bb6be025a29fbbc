/** Atomic operations on Redis: each one is a single command or server-side script, atomic across every process. */
import type { StorageGuard } from './keyv-store.ts';
import { checkIncrement } from './local-atomic.ts';
import type { RedisClient } from './redis-client.ts';
import { luaScript, runScript } from './redis-scripts.ts';
import { type AtomicOperations, checkTtlMs } from './types.ts';

/** ARGV: expected present (1/0), expected value, next present (1/0), next value, TTL in ms. */
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

/** ARGV: increment, TTL in ms (applied only when this call creates the counter). */
const INCREMENT = luaScript(`
local created = redis.call('EXISTS', KEYS[1]) == 0
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if created then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return value`);

/** AtomicOperations on Redis keys `<prefix><key>`. */
export class RedisAtomicOperations implements AtomicOperations {
  constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
    private readonly guard: StorageGuard,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return this.guard(async () => (await this.client.get(this.prefix + key)) ?? undefined);
  }

  async takeIfFree(key: string, value: string, ttlMs: number): Promise<boolean> {
    const expiration = { type: 'PX', value: checkTtlMs(ttlMs) } as const;
    const reply = await this.guard(() => this.client.set(this.prefix + key, value, { expiration, condition: 'NX' }));
    return reply === 'OK';
  }

  async compareAndSet(
    key: string,
    expected: string | undefined,
    next: string | undefined,
    ttlMs: number,
  ): Promise<boolean> {
    const ttl = next === undefined ? 1 : checkTtlMs(ttlMs);
    const args = [expected === undefined ? '0' : '1', expected ?? '', next === undefined ? '0' : '1', next ?? '', ttl];
    const reply = await this.guard(() => runScript(this.client, COMPARE_AND_SET, [this.prefix + key], args));
    return reply === 1;
  }

  async increment(key: string, by: number, ttlMs: number): Promise<number> {
    checkIncrement(by);
    const ttl = checkTtlMs(ttlMs);
    const reply = await this.guard(() => runScript(this.client, INCREMENT, [this.prefix + key], [by, ttl]));
    return Number(reply);
  }
}
