/**
 * Runs a suite once per storage backend (memory, file, redis) against an engine whose `[storage]` section selects
 * it. Redis suites use a unique key prefix and delete their keys afterwards; when Redis cannot be reached they fail
 * under CI=true and are pending (with the reason printed) otherwise.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Stream } from 'node:stream';
import { configText, type EngineFixture, repoRoot, startEngine } from './engine-fixture.ts';
import { REDIS_URL, redisSuite, uniqueKeyPrefix } from './redis.ts';

/** The backends every storage test runs on. */
export const BACKENDS = ['memory', 'file', 'redis'] as const;

/** One backend kind. */
export type BackendKind = (typeof BACKENDS)[number];

/** `[storage]` lines of the test engines: small limits, so refusals are cheap to provoke. */
export const TEST_LIMITS = {
  max_ttl: 3600,
  max_value_bytes: 2048,
  max_file_bytes: 64 * 1024,
  max_record_bytes: 128 * 1024,
  max_keys: 12,
} as const;

/** The configured service whose Create stores user data (the `data-echo` test plugin). */
export const DATA_SERVICE = `
[service.data-echo]
_type = builtin
_service = data-echo
`;

/** What a backend suite is handed. */
export interface BackendSuite {
  readonly kind: BackendKind;
  /** The `[storage]` section for this backend (a unique key prefix on Redis). */
  readonly storageSection: string;
}

function storageSection(kind: BackendKind, keyPrefix: string): string {
  const limits = Object.entries(TEST_LIMITS).map(([name, value]) => `${name} = ${value}`);
  const backend = kind === 'redis' ? [`url = ${REDIS_URL}`, `key_prefix = ${keyPrefix}`] : [];
  return ['[storage]', `backend = ${kind}`, ...backend, ...limits, ''].join('\n');
}

/** Declares `suite` once per backend, inside a `describe` named after it. */
export function describeEachBackend(title: string, suite: (backend: BackendSuite) => void): void {
  for (const kind of BACKENDS) {
    describe(`${title} [${kind}]`, () => {
      const keyPrefix = kind === 'redis' ? redisSuite() : uniqueKeyPrefix();
      suite({ kind, storageSection: storageSection(kind, keyPrefix) });
    });
  }
}

/**
 * Starts an engine on `storageSection` with the `data-echo` test plugin loaded and its service configured. The
 * plugin lives outside the plugins folder, so it is loaded after start-up and the service added by a live reload.
 */
export async function startStorageEngine(storage: string, folder?: string): Promise<EngineFixture> {
  const fixture = await startEngine(storage, '', folder);
  try {
    if (!fixture.engine.registry.template('data-echo')) {
      await fixture.engine.loader.loadPluginFolder(path.join(repoRoot, 'test', 'fixtures', 'plugins', 'data-echo'));
    }
    await writeFile(fixture.configFile, configText(fixture.folder, `${storage}\n${DATA_SERVICE}`));
    const { applied, issues } = await fixture.engine.reload();
    if (!applied) throw new Error(`data-echo service not configured: ${JSON.stringify(issues)}`);
  } catch (error) {
    await fixture.close();
    throw error;
  }
  return fixture;
}

/** A buffer holding every byte value 0..255, `repeat` times. */
export function allBytes(repeat = 1): Buffer {
  return Buffer.concat(Array.from({ length: repeat }, () => Buffer.from(Array.from({ length: 256 }, (_, i) => i))));
}

/** A supertest parser that keeps the response body as raw bytes. */
export function binaryParser(response: Stream, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => callback(null, Buffer.concat(chunks)));
  response.on('error', (error: Error) => callback(error, Buffer.alloc(0)));
}
