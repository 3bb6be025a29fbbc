/**
 * Reads a template zip as hostile input: every entry is checked (name, type, size, ratio, count, checksum) and
 * inflated in memory, never past its declared size, before anything is written, so a refused archive leaves nothing
 * behind.
 */
import { crc32, inflateRawSync } from 'node:zlib';
import AdmZip from 'adm-zip';

/** Limits applied to every archive. */
export interface ZipLimits {
  /** Most entries (files and folders). */
  maxEntries: number;
  /** Most bytes once unpacked, all entries together. */
  maxUnpackedBytes: number;
  /** Highest unpacked/packed ratio of an entry (or of the archive). */
  maxRatio: number;
}

/** The limits the issue names: 1,000 entries, 20 MB unpacked, ratio 100. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 1000, maxUnpackedBytes: 20 * 1024 * 1024, maxRatio: 100 };

/** Below this many unpacked bytes the ratio is not checked: a small file of repeated bytes compresses well and is harmless. */
const RATIO_CHECK_MIN_BYTES = 4096;

/** Why an archive was refused. */
export class UnsafeArchiveError extends Error {
  override name = 'UnsafeArchiveError';
}

/** The files of an archive that passed every check, keyed by normalized relative path. */
export type ArchiveFiles = ReadonlyMap<string, Buffer>;

const SYMLINK_MODE = 0o120000;
const FILE_TYPE_MASK = 0o170000;

/** General-purpose bit 0: the entry is encrypted. */
const ENCRYPTED_FLAG = 0x1;

/** Checks and unpacks an archive in memory; throws UnsafeArchiveError with the reason. */
export function readArchive(data: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ArchiveFiles {
  const entries = openEntries(data);
  if (entries.length > limits.maxEntries) {
    throw new UnsafeArchiveError(`it has ${entries.length} entries; at most ${limits.maxEntries} are accepted`);
  }
  // The declared sizes bound the work: each entry is then inflated to at most its declared size, so a header that
  // lies cannot make the total exceed this sum.
  const declared = entries.reduce((sum, entry) => sum + entry.header.size, 0);
  if (declared > limits.maxUnpackedBytes) {
    throw new UnsafeArchiveError(`it unpacks to ${declared} bytes; at most ${limits.maxUnpackedBytes} are accepted`);
  }
  const files = new Map<string, Buffer>();
  const folders = new Set<string>();
  let unpacked = 0;
  let packed = 0;
  for (const entry of entries) {
    const name = checkEntry(entry);
    if (entry.isDirectory) {
      folders.add(name);
      continue;
    }
    if (files.has(name)) throw new UnsafeArchiveError(`entry ${name} appears twice`);
    checkRatio(`entry ${name}`, entry.header.size, entry.header.compressedSize, limits.maxRatio);
    const content = inflateEntry(entry, name);
    unpacked += content.length;
    packed += entry.header.compressedSize;
    files.set(name, content);
  }
  checkRatio('the archive', unpacked, packed, limits.maxRatio);
  checkPathConflicts(files, folders);
  return files;
}

function openEntries(data: Buffer): AdmZip.IZipEntry[] {
  try {
    return new AdmZip(data).getEntries();
  } catch (error) {
    throw new UnsafeArchiveError(`it is not a readable zip archive (${(error as Error).message})`);
  }
}

/** Checks an entry's name and type; returns its normalized name. */
function checkEntry(entry: AdmZip.IZipEntry): string {
  const name = checkEntryName(entry.entryName);
  if (((entry.attr >>> 16) & FILE_TYPE_MASK) === SYMLINK_MODE) {
    throw new UnsafeArchiveError(`entry ${name} is a symbolic link; links are not accepted`);
  }
  if ((entry.header.flags & ENCRYPTED_FLAG) !== 0) {
    throw new UnsafeArchiveError(`entry ${name} is encrypted; encrypted archives are not accepted`);
  }
  return name;
}

function checkRatio(subject: string, size: number, compressedSize: number, maxRatio: number): void {
  if (size < RATIO_CHECK_MIN_BYTES) return;
  const ratio = size / Math.max(compressedSize, 1);
  if (ratio > maxRatio) {
    throw new UnsafeArchiveError(
      `${subject} has a compression ratio of ${Math.round(ratio)}; at most ${maxRatio} is accepted`,
    );
  }
}

/** Inflates one entry without trusting its header: output is capped at the declared size, then compared to it. */
function inflateEntry(entry: AdmZip.IZipEntry, name: string): Buffer {
  const { method, size, crc } = entry.header;
  const raw = entry.getCompressedData();
  let content: Buffer;
  if (method === 0) {
    content = raw;
  } else if (method === 8) {
    try {
      content = inflateRawSync(raw, { maxOutputLength: Math.max(size, 1) });
    } catch (error) {
      const overflow = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      throw new UnsafeArchiveError(
        overflow
          ? `entry ${name} unpacks to more than the ${size} bytes its header declares`
          : `entry ${name} cannot be unpacked (${(error as Error).message})`,
      );
    }
  } else {
    throw new UnsafeArchiveError(
      `entry ${name} uses compression method ${method}; only deflate and store are accepted`,
    );
  }
  if (content.length !== size) {
    throw new UnsafeArchiveError(`entry ${name} unpacks to ${content.length} bytes but its header declares ${size}`);
  }
  if (crc32(content) !== crc) throw new UnsafeArchiveError(`entry ${name} is corrupt (its checksum does not match)`);
  return content;
}

/** Accepts only relative names that stay inside the target folder. */
function checkEntryName(raw: string): string {
  const name = raw.replace(/\\/g, '/');
  if (name.includes('\0')) throw new UnsafeArchiveError(`entry name ${JSON.stringify(raw)} contains a NUL byte`);
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) {
    throw new UnsafeArchiveError(`entry ${raw} has an absolute path`);
  }
  const parts = name.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) throw new UnsafeArchiveError(`entry ${raw} escapes the target folder`);
  if (parts.length === 0) throw new UnsafeArchiveError(`entry ${JSON.stringify(raw)} has an empty name`);
  return parts.join('/');
}

/** A file whose name is also a folder of another entry could not be written: refuse it now, not half-way through. */
function checkPathConflicts(files: ReadonlyMap<string, Buffer>, folders: ReadonlySet<string>): void {
  for (const name of files.keys()) {
    if (folders.has(name)) throw new UnsafeArchiveError(`entry ${name} is both a file and a folder`);
  }
  for (const name of [...files.keys(), ...folders]) {
    const parts = name.split('/');
    for (let depth = 1; depth < parts.length; depth += 1) {
      const parent = parts.slice(0, depth).join('/');
      if (files.has(parent)) throw new UnsafeArchiveError(`entry ${name} lies inside ${parent}, which is a file`);
    }
  }
}
