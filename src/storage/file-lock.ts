/**
 * The lock of a file backend folder: a `LOCK` file holding the owner's process id. The file backend's atomic
 * operations are atomic only within one process, so a second process (or a second backend in the same process) on
 * the same folder is refused. A lock left by a process that died is stale and is taken over.
 */
import { readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Folders locked by this process (real paths): a LOCK holding our own pid may be a stale one of an earlier process. */
const lockedHere = new Set<string>();

/** A held lock. */
export interface FolderLock {
  /** Removes the lock file, if it is still ours. */
  release(): void;
}

/** Takes the lock of `folder` (which must exist) or throws an error that says who holds it. */
export function lockFolder(folder: string): FolderLock {
  const real = realpathSync(folder);
  const file = path.join(real, 'LOCK');
  if (lockedHere.has(real)) {
    throw new Error(`storage folder ${folder} is already open in this process: close the other file backend first`);
  }
  if (!tryCreate(file)) {
    const holder = readHolder(file);
    if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
      throw new Error(
        `storage folder ${folder} is in use by process ${holder} (${file}): stop that process, or delete the ` +
          'LOCK file if no engine uses the folder',
      );
    }
    // Stale: remove it and create it again, so of two processes taking over at once only one wins.
    rmSync(file, { force: true });
    if (!tryCreate(file)) throw new Error(`storage folder ${folder} was locked by another process just now`);
  }
  lockedHere.add(real);
  return {
    release() {
      if (!lockedHere.delete(real)) return;
      if (readHolder(file) === process.pid) rmSync(file, { force: true });
    },
  };
}

function tryCreate(file: string): boolean {
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function readHolder(file: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number(text.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

/** Whether a process exists; EPERM means it exists but belongs to another user. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
