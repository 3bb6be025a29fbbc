/**
 * Test helper for the call-matching tests: the Redis rule of the project (a test that needs Redis fails when
 * CI=true and Redis is unreachable, and is pending with the reason printed otherwise), unique key prefixes and their
 * clean-up, and each storage backend opened on a temporary folder or prefix.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { createClient } from '@redis/client';
import { FileBackend } from '../../src/storage/file-backend.ts';
import { MemoryBackend } from '../../src/storage/memory-backend.ts';
import { RedisBackend } from '../../src/storage/redis-backend.ts';
import type { BackendKind, StorageBackend } from '../../src/storage/types.ts';
import { tempFolder } from './engine-fixture.ts';

/** The Redis the tests use. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

let reachable: Promise<boolean> | undefined;

async function ping(): Promise<boolean> {
  const client = createClient({ url: REDIS_URL, socket: { connectTimeout: 2000, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.close();
    return true;
  } catch {
    return false;
  }
}

/**
 * Call first in a `before` hook of a suite that needs Redis: throws under CI=true when Redis is unreachable,
 * otherwise marks the suite pending and prints why.
 */
export async function requireRedis(context: Mocha.Context): Promise<void> {
  reachable ??= ping();
  if (await reachable) return;
  const reason = `Redis at ${REDIS_URL} is not reachable`;
  if (process.env.CI === 'true') throw new Error(`${reason}: Redis tests must run in CI`);
  process.stdout.write(`      pending: ${reason}\n`);
  context.skip();
}

/** A key prefix no other test run uses. */
export function uniquePrefix(): string {
  return `test:${randomBytes(6).toString('hex')}:`;
}

/** Deletes every Redis key starting with `prefix`. */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const client = createClient({ url: REDIS_URL });
  client.on('error', () => {});
  await client.connect();
  for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
    if (keys.length > 0) await client.unlink(keys);
  }
  await client.close();
}

/** A backend opened for a test, and how to reopen (file: same folder) and dispose of it. */
export interface TestBackend {
  readonly kind: BackendKind;
  backend: StorageBackend;
  /** Closes and opens the backend again on the same data. */
  reopen(): Promise<StorageBackend>;
  /** Closes the backend and deletes its data. */
  dispose(): Promise<void>;
}

/** Opens a backend of `kind` on fresh data. */
export async function openTestBackend(kind: BackendKind): Promise<TestBackend> {
  const folder = kind === 'file' ? await tempFolder() : undefined;
  const prefix = uniquePrefix();
  const open = async (): Promise<StorageBackend> => {
    if (kind === 'memory') return new MemoryBackend();
    if (kind === 'file') return new FileBackend({ folder: path.join(folder ?? '', 'storage') });
    return RedisBackend.connect({ url: REDIS_URL, keyPrefix: prefix });
  };
  const handle: TestBackend = {
    kind,
    backend: await open(),
    reopen: async () => {
      await handle.backend.close();
      handle.backend = await open();
      return handle.backend;
    },
    dispose: async () => {
      await handle.backend.close();
      if (folder) await rm(folder, { recursive: true, force: true });
      if (kind === 'redis') await deleteRedisKeys(prefix);
    },
  };
  return handle;
}

/** Waits `ms` milliseconds (bookings are given short lives so that expiry can be observed). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The `[storage]` section of an engine on `kind` (file: inside the fixture folder), and its clean-up. */
export function storageSection(kind: BackendKind): { section: string; cleanup(): Promise<void> } {
  const prefix = uniquePrefix();
  const lines: Record<BackendKind, string> = {
    memory: '[storage]\nbackend = memory',
    file: '[storage]\nbackend = file\npath = data/storage',
    redis: `[storage]\nbackend = redis\nurl = ${REDIS_URL}\nkey_prefix = ${prefix}`,
  };
  return { section: lines[kind], cleanup: () => (kind === 'redis' ? deleteRedisKeys(prefix) : Promise.resolve()) };
}
