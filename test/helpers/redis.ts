/**
 * The Redis test rule: a suite that needs Redis connects to `REDIS_URL` (default redis://127.0.0.1:6379) in a
 * `before` hook. When it cannot: under `CI=true` the hook throws, so the suite fails; elsewhere the reason is printed
 * and the suite's tests are pending. Every suite writes under its own key prefix and deletes those keys afterwards.
 */
import { randomBytes } from 'node:crypto';
import { createClient } from '@redis/client';
import type { RedisClient } from '../../src/storage/redis-client.ts';

/** The Redis the tests use. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** How long the check waits for Redis. */
const CHECK_TIMEOUT_MS = 2000;

/** Use in `before(async function () { await requireRedis(this); })`. */
export async function requireRedis(hook: Mocha.Context): Promise<void> {
  const problem = await unreachableReason();
  if (problem === undefined) return;
  const message = `Redis is not reachable at ${REDIS_URL} (${problem})`;
  if (process.env.CI === 'true') throw new Error(`${message}: CI=true requires every Redis test to run`);
  console.log(`    ${message}: these tests are pending; start Redis or set REDIS_URL to run them`);
  hook.skip();
}

/**
 * Wires the rule into the current `describe`: the Redis check before its tests, and the removal of every key under
 * the suite's own prefix after them. Returns that prefix.
 */
export function redisSuite(): string {
  const keyPrefix = uniqueKeyPrefix();
  let reachable = false;
  before(async function () {
    await requireRedis(this);
    reachable = true;
  });
  after(async () => {
    if (reachable) await deleteKeysWithPrefix(keyPrefix);
  });
  return keyPrefix;
}

/** A key prefix no other suite or run uses, e.g. `test:3f9c0a1b2c4d:`. */
export function uniqueKeyPrefix(): string {
  return `test:${randomBytes(6).toString('hex')}:`;
}

/** Keys per UNLINK when cleaning up. */
const UNLINK_BATCH = 10_000;

/** Every key under `prefix`, found with SCAN. */
export async function keysWithPrefix(prefix: string): Promise<string[]> {
  return scanKeys(`${globEscape(prefix)}*`);
}

/** Every key whose name contains `marker`, wherever it is. */
export async function keysContaining(marker: string): Promise<string[]> {
  return scanKeys(`*${globEscape(marker)}*`);
}

/** Deletes every key under `prefix` (use in `after`); returns how many there were. */
export async function deleteKeysWithPrefix(prefix: string): Promise<number> {
  const keys = await keysWithPrefix(prefix);
  if (keys.length === 0) return 0;
  return withClient(async (client) => {
    let deleted = 0;
    // One UNLINK per batch: the client spreads a command's keys into a call, which overflows the stack past ~100k.
    for (let start = 0; start < keys.length; start += UNLINK_BATCH) {
      deleted += await client.unlink(keys.slice(start, start + UNLINK_BATCH));
    }
    return deleted;
  });
}

/** The remaining TTL (ms) of each key: -1 for a key without one, -2 for a missing key. */
export async function remainingTtlsMs(keys: readonly string[]): Promise<Map<string, number>> {
  return withClient(async (client) => {
    const ttls = new Map<string, number>();
    for (const key of keys) ttls.set(key, await client.pTTL(key));
    return ttls;
  });
}

async function scanKeys(pattern: string): Promise<string[]> {
  return withClient(async (client) => {
    const keys: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: pattern, COUNT: 1000 })) keys.push(...batch);
    return keys;
  });
}

/** Why Redis at REDIS_URL cannot be reached, or undefined when it answers a PING (the bench uses it too). */
export async function unreachableReason(): Promise<string | undefined> {
  try {
    await withClient((client) => client.ping());
    return undefined;
  } catch (error) {
    const reason = error instanceof AggregateError ? error.errors[0] : error;
    return reason instanceof Error ? reason.message || reason.name : String(reason);
  }
}

async function withClient<T>(use: (client: RedisClient) => Promise<T>): Promise<T> {
  const client: RedisClient = createClient({
    url: REDIS_URL,
    socket: { connectTimeout: CHECK_TIMEOUT_MS, reconnectStrategy: false },
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await use(client);
  } finally {
    client.destroy();
  }
}

/** Escapes the characters SCAN MATCH treats as a pattern. */
function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
