/**
 * Test helper for the call-matching tests: each storage backend opened on a temporary folder or a unique Redis key
 * prefix (the Redis rule itself is in redis.ts).
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { FileBackend } from '../../src/storage/file-backend.ts';
import { MemoryBackend } from '../../src/storage/memory-backend.ts';
import { RedisBackend } from '../../src/storage/redis-backend.ts';
import type { BackendKind, StorageBackend } from '../../src/storage/types.ts';
import { tempFolder } from './engine-fixture.ts';
import { deleteKeysWithPrefix, REDIS_URL, uniqueKeyPrefix } from './redis.ts';

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
  const prefix = uniqueKeyPrefix();
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
      if (kind === 'redis') await deleteKeysWithPrefix(prefix);
    },
  };
  return handle;
}

/** The `[storage]` section of an engine on `kind` (file: inside the fixture folder), and its clean-up. */
export function storageSection(kind: BackendKind): { section: string; cleanup(): Promise<void> } {
  const prefix = uniqueKeyPrefix();
  const lines: Record<BackendKind, string> = {
    memory: '[storage]\nbackend = memory',
    file: '[storage]\nbackend = file\npath = data/storage',
    redis: `[storage]\nbackend = redis\nurl = ${REDIS_URL}\nkey_prefix = ${prefix}`,
  };
  return {
    section: lines[kind],
    cleanup: async () => {
      if (kind === 'redis') await deleteKeysWithPrefix(prefix);
    },
  };
}
