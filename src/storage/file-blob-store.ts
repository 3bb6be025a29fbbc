/**
 * Blobs of the file backend: each one is its own file, and its expiry lives in the backend's blob journal, so bytes
 * are never base64-encoded into a journal. Every write makes a file with a new name, and only then points the key
 * at it: a reader sees the old bytes or the new ones, never a mix, and a crash in the middle leaves only a file that
 * no key names, which the periodic sweep removes (as it removes the files of expired blobs).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { namespacePrefix } from './names.ts';
import type { SyncStore } from './sync-store.ts';
import { type BlobStore, ttlToMs } from './types.ts';

/** A file younger than this is never swept: it may be a blob being written whose journal entry is not there yet. */
const SWEEP_GRACE_MS = 60_000;

/** How often a read follows a key that was rewritten while its file was being read. */
const READ_ATTEMPTS = 3;

/** File-per-blob storage of one namespace; `index` maps each blob key to its file name and expiry. */
export class FileBlobStore implements BlobStore {
  private readonly prefix: string;

  constructor(
    private readonly folder: string,
    private readonly index: SyncStore<string>,
    namespace: string,
  ) {
    this.prefix = namespacePrefix(namespace);
  }

  async put(key: string, data: Buffer, ttlSeconds: number): Promise<void> {
    const expires = Date.now() + ttlToMs(ttlSeconds);
    const name = randomUUID();
    await mkdir(this.folder, { recursive: true });
    await writeFile(path.join(this.folder, name), data);
    const previous = this.index.read(this.prefix + key)?.value;
    this.index.write(this.prefix + key, name, expires);
    if (previous !== undefined) await rm(path.join(this.folder, previous), { force: true });
  }

  async get(key: string): Promise<Buffer | undefined> {
    for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
      const name = this.index.read(this.prefix + key)?.value;
      if (name === undefined) return undefined;
      try {
        return await readFile(path.join(this.folder, name));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        // Gone while being read: deleted (absent now), or replaced by a newer write (read that one).
        if (this.index.read(this.prefix + key)?.value === name) return undefined;
      }
    }
    return undefined;
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

/** Removes files of `folder` that no live blob uses and that are older than the grace period. */
export async function sweepBlobFolder(folder: string, liveNames: () => ReadonlySet<string>): Promise<void> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return;
  }
  const oldNames: string[] = [];
  await Promise.all(
    names.map(async (name) => {
      const info = await stat(path.join(folder, name)).catch(() => undefined);
      if (info?.isFile() && Date.now() - info.mtimeMs > SWEEP_GRACE_MS) oldNames.push(name);
    }),
  );
  const live = liveNames();
  await Promise.all(
    oldNames.filter((name) => !live.has(name)).map((name) => rm(path.join(folder, name), { force: true })),
  );
}
