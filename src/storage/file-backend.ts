/**
 * The single-node persistent backend: key/values and atomic state in journal files, blobs as files. A lock file
 * keeps a second process from opening the same folder, because the atomic operations are only atomic within one
 * process.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Keyv } from 'keyv';
import { FileBlobStore, sweepBlobFolder } from './file-blob-store.ts';
import { type FolderLock, lockFolder } from './file-lock.ts';
import { JournalSyncStore } from './journal-sync-store.ts';
import { createKeyv, KeyvStore } from './keyv-store.ts';
import { KeyvSyncAdapter } from './keyv-sync-adapter.ts';
import { LocalAtomicOperations } from './local-atomic.ts';
import type { AtomicOperations, BackendHandle, BlobStore, KeyValueStore, StorageBackend } from './types.ts';

const BLOB_SWEEP_INTERVAL_MS = 10 * 60_000;

/** Options of the file backend. */
export interface FileBackendOptions {
  /** The folder holding the journals, the blobs and the lock; created when missing. */
  folder: string;
  /** Journal lines tolerated beyond twice the live entries before a journal is compacted (default 10,000). */
  compactAfterLines?: number;
}

/** The file backend, rooted at one folder. */
export class FileBackend implements StorageBackend {
  readonly kind = 'file';
  private readonly lock: FolderLock;
  private readonly records: JournalSyncStore;
  private readonly atomics: JournalSyncStore;
  private readonly blobIndex: JournalSyncStore;
  private readonly keyv: Keyv;
  private readonly blobFolder: string;
  private readonly sweeper: NodeJS.Timeout;
  private sweeping: Promise<void>;

  /** Opens the folder; throws when another backend holds it or a journal cannot be read. */
  constructor(options: FileBackendOptions) {
    const { folder, compactAfterLines } = options;
    mkdirSync(folder, { recursive: true });
    this.lock = lockFolder(folder);
    const opened: JournalSyncStore[] = [];
    const open = (name: string) => {
      const journal = new JournalSyncStore({ file: path.join(folder, `${name}.jsonl`), compactAfterLines });
      opened.push(journal);
      return journal;
    };
    try {
      this.records = open('records');
      this.atomics = open('atomic');
      this.blobIndex = open('blobs');
    } catch (error) {
      for (const journal of opened) journal.close();
      this.lock.release();
      throw error;
    }
    this.keyv = createKeyv(new KeyvSyncAdapter(this.records));
    this.blobFolder = path.join(folder, 'blobs');
    this.sweeping = this.sweepBlobs();
    this.sweeper = setInterval(() => {
      this.sweeping = this.sweeping.then(() => this.sweepBlobs());
    }, BLOB_SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  namespace<T>(name: string): KeyValueStore<T> {
    return new KeyvStore<T>(this.keyv, name);
  }

  atomic(name: string): AtomicOperations {
    return new LocalAtomicOperations(this.atomics, name);
  }

  blobs(name: string): BlobStore {
    return new FileBlobStore(this.blobFolder, this.blobIndex, name);
  }

  handle(): BackendHandle {
    return { family: 'local', store: this.atomics, persistent: true };
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await this.sweeping;
    for (const journal of [this.records, this.atomics, this.blobIndex]) journal.close();
    this.lock.release();
  }

  private async sweepBlobs(): Promise<void> {
    const liveNames = () => new Set(this.blobIndex.liveEntries().map(([, entry]) => entry.value));
    // Best effort: a file that cannot be removed now is tried again at the next sweep.
    await sweepBlobFolder(this.blobFolder, liveNames).catch(() => undefined);
  }
}
