/**
 * The single-node persistent backend: key/values and atomic state in journal files, blobs as files. A lock file
 * keeps a second process from opening the same folder, because the atomic operations are only atomic within one
 * process.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Keyv } from 'keyv';
import { FileBlobStore, sweepBlobFolder } from './file-blob-store.ts';
import { JournalSyncStore } from './journal-sync-store.ts';
import { KeyvStore } from './keyv-store.ts';
import { KeyvSyncAdapter } from './keyv-sync-adapter.ts';
import { LocalAtomicOperations } from './local-atomic.ts';
import type { AtomicOperations, BackendHandle, BlobStore, KeyValueStore, StorageBackend } from './types.ts';

const BLOB_SWEEP_INTERVAL_MS = 10 * 60_000;

/** The file backend, rooted at one folder. */
export class FileBackend implements StorageBackend {
  readonly kind = 'file';
  private readonly records: JournalSyncStore<unknown>;
  private readonly atomics: JournalSyncStore<string>;
  private readonly blobIndex: JournalSyncStore<string>;
  private readonly blobFolder: string;
  private readonly lockFile: string;
  private readonly sweeper: NodeJS.Timeout;

  constructor(folder: string) {
    mkdirSync(folder, { recursive: true });
    this.lockFile = path.join(folder, 'LOCK');
    acquireLock(this.lockFile);
    this.records = new JournalSyncStore(path.join(folder, 'records.jsonl'));
    this.atomics = new JournalSyncStore(path.join(folder, 'atomic.jsonl'));
    this.blobIndex = new JournalSyncStore(path.join(folder, 'blobs.jsonl'));
    this.blobFolder = path.join(folder, 'blobs');
    this.sweeper = setInterval(() => void this.sweepBlobs(), BLOB_SWEEP_INTERVAL_MS);
    this.sweeper.unref();
    void this.sweepBlobs();
  }

  namespace<T>(name: string): KeyValueStore<T> {
    const keyv = new Keyv<T>({
      store: new KeyvSyncAdapter(this.records),
      namespace: name,
      serialize: undefined,
      deserialize: undefined,
    });
    return new KeyvStore(keyv);
  }

  atomic(name: string): AtomicOperations {
    return new LocalAtomicOperations(this.atomics, `${name}:`);
  }

  blobs(name: string): BlobStore {
    return new FileBlobStore(this.blobFolder, this.blobIndex, `${name}:`);
  }

  handle(): BackendHandle {
    return { family: 'local', store: this.atomics, persistent: true };
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([this.records.close(), this.atomics.close(), this.blobIndex.close()]);
    rmSync(this.lockFile, { force: true });
  }

  private async sweepBlobs(): Promise<void> {
    await sweepBlobFolder(this.blobFolder, new Set(this.blobIndex.liveEntries().map(([, entry]) => entry.value)));
  }
}

/** Creates the lock file, or refuses when a live process holds it (a stale lock of a dead process is taken over). */
function acquireLock(file: string): void {
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const holder = Number(readFileSync(file, 'utf8'));
  if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
    throw new Error(`storage folder ${path.dirname(file)} is in use by process ${holder}`);
  }
  writeFileSync(file, String(process.pid));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
