/**
 * Builds zip archives for tests, hostile ones included, with the same bytes at each run. adm-zip writes them (it is
 * already a dependency of the engine); what it would not write by itself is set on its entries after adding them
 * (raw names, file types) or patched into the bytes it wrote (header fields that lie).
 */
import AdmZip from 'adm-zip';

/** One entry of a zip to build. */
export interface EntrySpec {
  /** The name exactly as stored, hostile or not ("../x", "/etc/x", "C:/x"). */
  readonly name: string;
  readonly content: string | Buffer;
  /** Unix mode (file type and permissions) stored in the external attributes, e.g. 0o120777 for a link. */
  readonly mode?: number;
}

/** Header fields of one entry that `patchEntry` can overwrite, in both its local and its central header. */
export interface EntryPatch {
  /** General-purpose flags (bit 0: encrypted). */
  readonly flags?: number;
  /** Compression method (0 store, 8 deflate). */
  readonly method?: number;
  readonly crc?: number;
  /** Declared unpacked size. */
  readonly size?: number;
}

/** A symbolic link's mode. */
export const SYMLINK_MODE = 0o120777;

/** DOS time fields come from the local clock: a local date gives the same bytes in every time zone. */
const FIXED_TIME = new Date(2024, 0, 1, 0, 0, 0);

/** Offsets of the patchable fields in a central header and in a local header. */
const FIELDS = {
  flags: { central: 8, local: 6, bytes: 2 },
  method: { central: 10, local: 8, bytes: 2 },
  crc: { central: 16, local: 14, bytes: 4 },
  size: { central: 24, local: 22, bytes: 4 },
} as const;

/** Writes a zip of `entries`, in name order, deflated. */
export function buildZip(entries: readonly EntrySpec[]): Buffer {
  const archive = new AdmZip();
  for (const [index, spec] of entries.entries()) {
    // adm-zip cleans names on add ("/etc/x" becomes "etc/x") and merges names that clean alike ("a", "./a"): each
    // entry is added under a unique name, then given its name exactly as hostile archives need it.
    const entry = archive.addFile(`${index}${spec.name.endsWith('/') ? '/' : ''}`, Buffer.from(spec.content));
    entry.entryName = spec.name;
    entry.header.time = FIXED_TIME;
    if (spec.mode !== undefined) entry.attr = (spec.mode << 16) >>> 0;
  }
  return archive.toBuffer();
}

/** Returns a copy of `data` where the headers of entry `name` carry the patched fields. */
export function patchEntry(data: Buffer, name: string, patch: EntryPatch): Buffer {
  const patched = Buffer.from(data);
  const central = centralHeaderOf(patched, name);
  const local = patched.readUInt32LE(central + 42);
  for (const field of ['flags', 'method', 'crc', 'size'] as const) {
    const value = patch[field];
    if (value === undefined) continue;
    const { central: inCentral, local: inLocal, bytes } = FIELDS[field];
    patched.writeUIntLE(value, central + inCentral, bytes);
    patched.writeUIntLE(value, local + inLocal, bytes);
  }
  return patched;
}

function centralHeaderOf(data: Buffer, name: string): number {
  const endOfCentral = data.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = data.readUInt16LE(endOfCentral + 10);
  let offset = data.readUInt32LE(endOfCentral + 16);
  for (let index = 0; index < count; index += 1) {
    const nameLength = data.readUInt16LE(offset + 28);
    if (data.toString('utf8', offset + 46, offset + 46 + nameLength) === name) return offset;
    offset += 46 + nameLength + data.readUInt16LE(offset + 30) + data.readUInt16LE(offset + 32);
  }
  throw new Error(`entry ${name} is not in the archive`);
}
