/**
 * What only the file backend promises: its data survives a close and a crash, its journal survives a torn last line
 * and stays small through compaction, and its folder is locked against a second backend.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { appendFile, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { FileBackend } from '../src/storage/file-backend.ts';
import { repoRoot, tempFolder } from './helpers/engine-fixture.ts';
import { runScript } from './helpers/run-script.ts';

/** Lines of a journal file, without the trailing empty one. */
async function journalLines(folder: string, name: string): Promise<string[]> {
  const text = await readFile(path.join(folder, name), 'utf8');
  return text.split('\n').filter((line) => line !== '');
}

describe('file backend', () => {
  let folder: string;
  let open: FileBackend[];

  /** Opens a backend on the test's folder; afterEach closes whatever is still open. */
  const openBackend = (compactAfterLines?: number) => {
    const backend = new FileBackend({ folder, compactAfterLines });
    open.push(backend);
    return backend;
  };
  const closeBackend = async (backend: FileBackend) => {
    open = open.filter((other) => other !== backend);
    await backend.close();
  };

  beforeEach(async () => {
    folder = await tempFolder();
    open = [];
  });
  afterEach(async () => {
    for (const backend of open) await backend.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('keeps records, atomic values and blobs across close and reopen', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, value) => value));
    const first = openBackend();
    await first.namespace<{ name: string }>('people').set('ann', { name: 'Ann' }, 60);
    await first.namespace<{ name: string }>('people').set('bob', { name: 'Bob' }, 60);
    await first.namespace<{ name: string }>('people').delete('bob');
    await first.atomic('slots').takeIfFree('slot-1', 'owner-a', 60_000);
    await first.atomic('slots').increment('count', 3, 60_000);
    await first.atomic('slots').compareAndSet('swap', undefined, 'v1', 60_000);
    await first.atomic('slots').compareAndSet('swap', 'v1', 'v2', 60_000);
    await first.blobs('files').put('photo', bytes, 60);
    await closeBackend(first);

    const second = openBackend();
    expect(await second.namespace('people').get('ann')).to.deep.equal({ name: 'Ann' });
    expect(await second.namespace('people').get('bob')).to.equal(undefined);
    expect(await second.atomic('slots').get('slot-1')).to.equal('owner-a');
    expect(await second.atomic('slots').takeIfFree('slot-1', 'owner-b', 60_000)).to.equal(false);
    expect(await second.atomic('slots').increment('count', 1, 60_000)).to.equal(4);
    expect(await second.atomic('slots').get('swap')).to.equal('v2');
    expect((await second.blobs('files').get('photo'))?.equals(bytes)).to.equal(true);
  });

  it('keeps what was written before the process was killed, and takes over its stale lock', async () => {
    const result = await runScript(path.join(repoRoot, 'test/fixtures/storage/write-then-die.ts'), [folder]);
    expect(result.signal, result.output).to.equal('SIGKILL');
    const backend = openBackend();
    expect(await backend.namespace('crash').get('record')).to.deep.equal({ crashed: true });
    expect(await backend.atomic('crash').get('counter')).to.equal('42');
    expect(await backend.blobs('crash').get('blob')).to.deep.equal(Buffer.from([0, 1, 2, 255]));
    expect(await readFile(path.join(folder, 'LOCK'), 'utf8')).to.equal(String(process.pid));
  });

  it('forgets a record that expired while the backend was closed', async () => {
    const first = openBackend();
    await first.namespace<string>('ttl').set('short', 'gone soon', 0.3);
    await first.namespace<string>('ttl').set('long', 'kept', 60);
    await first.atomic('ttl').takeIfFree('short', 'gone soon', 300);
    await closeBackend(first);
    await sleep(700);

    const second = openBackend();
    expect(await second.namespace('ttl').get('short')).to.equal(undefined);
    expect(await second.atomic('ttl').get('short')).to.equal(undefined);
    expect(await second.namespace('ttl').get('long')).to.equal('kept');
    const lines = await journalLines(folder, 'records.jsonl');
    expect(lines.filter((line) => line.includes('short'))).to.deep.equal([]);
  });

  it('ignores a torn last journal line and keeps everything before it', async () => {
    const first = openBackend();
    await first.namespace<number>('torn').set('a', 1, 60);
    await first.namespace<number>('torn').set('b', 2, 60);
    await closeBackend(first);
    // A crash in the middle of an append leaves half a line and no newline.
    await appendFile(path.join(folder, 'records.jsonl'), '["s","torn::c",99999999999999,"{\\"val');

    const second = openBackend();
    expect(await second.namespace('torn').get('a')).to.equal(1);
    expect(await second.namespace('torn').get('b')).to.equal(2);
    expect(await second.namespace('torn').get('c')).to.equal(undefined);
    await second.namespace<number>('torn').set('d', 4, 60);
    await closeBackend(second);

    // The torn line was dropped on open, so the next append did not glue onto it.
    const third = openBackend();
    for (const [key, value] of [
      ['a', 1],
      ['b', 2],
      ['d', 4],
    ] as const) {
      expect(await third.namespace('torn').get(key), key).to.equal(value);
    }
  });

  it('compacts the journal under many writes and keeps exactly the live data', async () => {
    const compactAfterLines = 100;
    const backend = openBackend(compactAfterLines);
    const store = backend.namespace<{ round: number }>('compact');
    const expected = new Map<string, { round: number }>();
    for (let round = 0; round < 300; round++) {
      for (let key = 0; key < 10; key++) {
        await store.set(`k${key}`, { round }, 60);
        expected.set(`k${key}`, { round });
      }
      await store.set(`temporary-${round}`, { round }, 60);
      await store.delete(`temporary-${round}`);
    }
    // 3,600 changes were written; compaction keeps the file near twice the live entries.
    const linesBeforeClose = await journalLines(folder, 'records.jsonl');
    expect(linesBeforeClose.length).to.be.at.most(expected.size * 2 + compactAfterLines + 1);
    await closeBackend(backend);

    const reopened = openBackend(compactAfterLines);
    for (const [key, value] of expected) expect(await reopened.namespace('compact').get(key), key).to.deep.equal(value);
    for (const round of [0, 150, 299])
      expect(await reopened.namespace('compact').get(`temporary-${round}`)).to.equal(undefined);
    const keysInFile = (await journalLines(folder, 'records.jsonl')).map((line) => (JSON.parse(line) as unknown[])[1]);
    expect([...keysInFile].sort()).to.deep.equal([...expected.keys()].map((key) => `compact::${key}`).sort());
  });

  it('refuses a second backend on a folder that is open, with a clear message', async () => {
    openBackend();
    expect(() => new FileBackend({ folder })).to.throw(/is already open in this process/);
  });

  it('refuses a folder whose lock is held by another live process', async () => {
    const holder: ChildProcess = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      await writeFile(path.join(folder, 'LOCK'), String(holder.pid));
      expect(() => new FileBackend({ folder })).to.throw(new RegExp(`in use by process ${holder.pid}`));
    } finally {
      holder.kill();
    }
  });

  it('takes over the stale lock of a dead process, and removes its own lock on close', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    await writeFile(path.join(folder, 'LOCK'), String(dead));
    const backend = openBackend();
    expect(await readFile(path.join(folder, 'LOCK'), 'utf8')).to.equal(String(process.pid));
    await closeBackend(backend);
    expect(await readdir(folder)).to.not.include('LOCK');
    await closeBackend(openBackend());
  });
});
