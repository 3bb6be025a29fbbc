/**
 * Blobs of the file backend: each one is its own file (written to a temporary name, then renamed), and its expiry
 * lives in the backend's journal, so bytes are never base64-encoded into the journal.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SyncStore } from './sync-store.ts';
import { type BlobStore, ttlToMs } from './types.ts';

/** File-per-blob storage; `index` maps each blob key to its file name and expiry. */
export class FileBlobStore implements BlobStore {
  constructor(
    private readonly folder: string,
    private readonly index: SyncStore<string>,
    private readonly prefix: string,
  ) {}

  async put(key: string, data: Buffer, ttlSeconds: number): Promise<void> {
    const name = fileNameOf(this.prefix + key);
    await mkdir(this.folder, { recursive: true });
    const temporary = path.join(this.folder, `${name}.${process.pid}.tmp`);
    await writeFile(temporary, data);
    await rename(temporary, path.join(this.folder, name));
    this.index.write(this.prefix + key, name, Date.now() + ttlToMs(ttlSeconds));
  }

  async get(key: string): Promise<Buffer | undefined> {
    const name = this.index.read(this.prefix + key)?.value;
    if (name === undefined) return undefined;
    try {
      return await readFile(path.join(this.folder, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<boolean> {
    const name = this.index.read(this.prefix + key)?.value;
    if (name === undefined) return false;
    this.index.remove(this.prefix + key);
    await rm(path.join(this.folder, name), { force: true });
    return true;
  }

  async touch(key: string, ttlSeconds: number): Promise<boolean> {
    const name = this.index.read(this.prefix + key)?.value;
    if (name === undefined) return false;
    this.index.write(this.prefix + key, name, Date.now() + ttlToMs(ttlSeconds));
    return true;
  }
}

/** Removes blob files whose index entry expired or vanished (run at start-up and periodically). */
export async function sweepBlobFolder(folder: string, liveNames: ReadonlySet<string>): Promise<void> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return;
  }
  await Promise.all(
    names.filter((name) => !liveNames.has(name)).map((name) => rm(path.join(folder, name), { force: true })),
  );
}

function fileNameOf(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
