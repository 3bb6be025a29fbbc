/** Chooses and opens the backend that `[storage] backend` names. */
import type { StorageOptions } from '../config/server-options.ts';
import type { Logger } from '../logger.ts';
import { FileBackend } from './file-backend.ts';
import { MemoryBackend } from './memory-backend.ts';
import { RedisBackend } from './redis-backend.ts';
import type { StorageBackend } from './types.ts';

/** Opens the configured backend; `log` hears about the Redis connection. */
export async function openStorage(options: Readonly<StorageOptions>, log?: Logger): Promise<StorageBackend> {
  switch (options.backend) {
    case 'memory':
      return new MemoryBackend();
    case 'file':
      return new FileBackend({ folder: options.path });
    case 'redis':
      return RedisBackend.connect({ url: options.url, keyPrefix: options.key_prefix, log });
  }
}
