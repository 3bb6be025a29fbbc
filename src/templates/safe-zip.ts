/**
 * Reads an uploaded template zip as hostile input: every entry is checked (name, type, size, ratio, count) and
 * inflated under a byte budget before anything is written, so a refused archive leaves nothing behind.
 */
import { inflateRawSync } from 'node:zlib';
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

/** Entries smaller than this are not ratio-checked: a tiny file of repeated bytes compresses well and is harmless. */
const RATIO_CHECK_MIN_BYTES = 4096;

/** Why an archive was refused. */
export class UnsafeArchiveError extends Error {
  override name = 'UnsafeArchiveError';
}

/** The files of an archive that passed every check, keyed by normalized relative path. */
export type ArchiveFiles = ReadonlyMap<string, Buffer>;

const SYMLINK_MODE = 0o120000;
const FILE_TYPE_MASK = 0o170000;

/** Checks and unpacks an archive in memory; throws UnsafeArchiveError with the reason. */
export function readArchive(data: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ArchiveFiles {
  let zip: AdmZip;
  try {
    zip = new AdmZip(data);
  } catch (error) {
    throw new UnsafeArchiveError(`not a readable zip archive (${(error as Error).message})`);
  }
  const entries = zip.getEntries();
  if (entries.length > limits.maxEntries) {
    throw new UnsafeArchiveError(`it has ${entries.length} entries; at most ${limits.maxEntries} are accepted`);
  }
  const declared = entries.reduce((sum, entry) => sum + entry.header.size, 0);
  if (declared > limits.maxUnpackedBytes) {
    throw new UnsafeArchiveError(`it unpacks to ${declared} bytes; at most ${limits.maxUnpackedBytes} are accepted`);
  }
  const files = new Map<string, Buffer>();
  let unpacked = 0;
  let packed = 0;
  for (const entry of entries) {
    const name = checkEntryName(entry.entryName);
    if (((entry.attr >>> 16) & FILE_TYPE_MASK) === SYMLINK_MODE) {
      throw new UnsafeArchiveError(`entry ${name} is a symbolic link; links are not accepted`);
    }
    if (entry.isDirectory) continue;
    if (files.has(name)) throw new UnsafeArchiveError(`entry ${name} appears twice`);
    const { size, compressedSize } = entry.header;
    if (size >= RATIO_CHECK_MIN_BYTES && size / Math.max(compressedSize, 1) > limits.maxRatio) {
      throw new UnsafeArchiveError(
        `entry ${name} has a compression ratio of ${Math.round(size / Math.max(compressedSize, 1))}; at most ${limits.maxRatio} is accepted`,
      );
    }
    const content = inflateEntry(entry, name, limits.maxUnpackedBytes - unpacked);
    unpacked += content.length;
    packed += compressedSize;
    files.set(name, content);
  }
  if (unpacked >= RATIO_CHECK_MIN_BYTES && unpacked / Math.max(packed, 1) > limits.maxRatio) {
    throw new UnsafeArchiveError(`the archive has a compression ratio over ${limits.maxRatio}`);
  }
  return files;
}

/** Inflates one entry without trusting its header: output is capped by the remaining budget. */
function inflateEntry(entry: AdmZip.IZipEntry, name: string, budget: number): Buffer {
  const raw = entry.getCompressedData();
  let content: Buffer;
  if (entry.header.method === 0) {
    content = raw;
  } else if (entry.header.method === 8) {
    try {
      content = inflateRawSync(raw, { maxOutputLength: Math.max(budget, 1) });
    } catch (error) {
      throw new UnsafeArchiveError(
        `entry ${name} cannot be unpacked within the size limit (${(error as Error).message})`,
      );
    }
  } else {
    throw new UnsafeArchiveError(
      `entry ${name} uses compression method ${entry.header.method}; only deflate is accepted`,
    );
  }
  if (content.length !== entry.header.size) {
    throw new UnsafeArchiveError(`entry ${name} unpacks to ${content.length} bytes but declares ${entry.header.size}`);
  }
  if (content.length > budget) {
    throw new UnsafeArchiveError('the archive unpacks to more bytes than accepted');
  }
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
