/**
 * close() leaves nothing open: a child process opens a backend, uses every kind of storage, closes it and must then
 * end by itself (mocha's `exit` option is not relied upon).
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { repoRoot, tempFolder } from './helpers/engine-fixture.ts';
import { REDIS_URL, redisSuite } from './helpers/redis.ts';
import { runScript } from './helpers/run-script.ts';

const script = path.join(repoRoot, 'test/fixtures/storage/open-use-close.ts');

async function expectEndsByItself(args: string[]): Promise<void> {
  const result = await runScript(script, args);
  expect({ code: result.code, signal: result.signal }, result.output).to.deep.equal({ code: 0, signal: null });
  expect(result.output).to.match(/^closed;/);
}

describe('closing a backend', () => {
  it('memory: the process ends by itself after close()', async () => {
    await expectEndsByItself(['memory']);
  });

  it('file: the process ends by itself after close()', async () => {
    const folder = await tempFolder();
    try {
      await expectEndsByItself(['file', folder]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  describe('redis', () => {
    const keyPrefix = redisSuite();

    it('redis: the process ends by itself after close()', async () => {
      await expectEndsByItself(['redis', REDIS_URL, keyPrefix]);
    });
  });
});
