/**
 * User data: the non-underscore fields (strings and files) of a Create, and everything the Storage API stores, kept
 * with a TTL under a data id (`_data_id`). A record (strings and file descriptions) is one JSON value written with
 * the backend's compare-and-set, so concurrent updates never lose each other's keys and a custom id is claimed by
 * exactly one `gms_user`; file bytes live in the `data` blob store, never re-encoded.
 *
 * Every write follows the same order, so nothing is ever half-written: check everything (limits, owner) on the record
 * as it would be stored, write new files under fresh blob keys, swap the record, and only then delete the bytes it no
 * longer references. A refused or lost request deletes the files it wrote.
 */

import { Errors, gmsError } from '../errors.ts';
import { newId } from '../ids.ts';
import { type AtomicOperations, type BlobStore, type StorageBackend, ttlToMs } from '../storage/types.ts';
import { checkInputLimits, checkRecordLimits, type UserDataLimits } from './user-data-limits.ts';
import {
  checkAccess,
  droppedBlobs,
  EMPTY_CONTENT,
  hasKey,
  mergeContent,
  normalizeInput,
  type RecordContent,
  removeKey,
  type StoredFileInfo,
  type UploadedFile,
  type UserDataAccess,
  type UserDataInput,
  type UserDataRecord,
} from './user-data-record.ts';

export type {
  StoredFileInfo,
  UploadedFile,
  UserDataAccess,
  UserDataInput,
  UserDataRecord,
} from './user-data-record.ts';

/** Files outlive their record by this much, so a reader that found the record also finds the bytes. */
const BLOB_GRACE_SECONDS = 10;

/** Compare-and-set rounds before a write that keeps losing to concurrent writes gives up. */
const MAX_ATTEMPTS = 10;

/** The value of one key: a string, or a file with its bytes. */
export type StoredValue =
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'file'; readonly info: StoredFileInfo; readonly data: Buffer };

/** What a write makes of the record it found (undefined: none); throws to refuse. */
type Plan = (current: UserDataRecord | undefined, changes: RecordContent) => { content: RecordContent; owner?: string };

/** One planned write: the stored value it was planned on, and the record content and owner to store. */
interface Attempt {
  readonly raw: string | undefined;
  readonly content: RecordContent;
  readonly owner?: string;
}

/** What every round of a write needs. */
interface Round {
  /** Plans (and checks) the write on a freshly read stored value. */
  build(raw: string | undefined): Attempt;
  /** The request's keys, whose files are new. */
  readonly changes: RecordContent;
  readonly ttlSeconds: number;
}

/** A file of a request with the description it will have in the record. */
interface Upload {
  readonly file: UploadedFile;
  readonly info: StoredFileInfo;
}

/** Stores and reads user data records. */
export class UserDataStore {
  private readonly records: AtomicOperations;
  private readonly blobs: BlobStore;

  constructor(
    storage: StorageBackend,
    private readonly limits: UserDataLimits,
  ) {
    this.records = storage.atomic('data');
    this.blobs = storage.blobs('data');
  }

  /**
   * Stores a new record under a fresh id (`id`, new by default, so a caller can hand it out before the write ends)
   * and resolves to the id. The limits are checked before anything is written and before this returns: a refusal is
   * thrown at once, so a Create can refuse its data before it starts anything else. A fresh random id has no record
   * yet, so this skips the read and the compare-and-set rounds of other writes: one take-if-free stores it (Create's
   * hot path).
   */
  create(
    fields: Readonly<Record<string, string>>,
    files: readonly UploadedFile[],
    ttlSeconds: number,
    id: string = newId(),
  ): Promise<string> {
    const { changes, uploads } = this.prepare(id, { fields, files });
    checkRecordLimits(id, changes, this.limits);
    return this.writeNew(id, changes, uploads, ttlSeconds);
  }

  /** Writes a new record (checked) and its files. */
  private async writeNew(
    id: string,
    changes: RecordContent,
    uploads: readonly Upload[],
    ttlSeconds: number,
  ): Promise<string> {
    const blobs = uploads.map(({ info }) => info.blob);
    if (uploads.length > 0) {
      const graceTtl = ttlSeconds + BLOB_GRACE_SECONDS;
      await Promise.all(uploads.map(({ file, info }) => this.blobs.put(info.blob, file.data, graceTtl)));
    }
    const record: UserDataRecord = {
      fields: changes.fields,
      files: changes.files,
      expiresAt: Date.now() + ttlSeconds * 1000,
    };
    if (!(await this.swap(id, undefined, record, ttlSeconds))) {
      await this.deleteBlobs(blobs);
      throw gmsError(Errors.STORAGE_ID_TAKEN, { id });
    }
    return id;
  }

  /**
   * Stores a record under a caller-chosen id bound to `owner`; the owner may store it again (the new content
   * replaces the old), anyone else is refused.
   */
  async createCustom(id: string, input: UserDataInput, ttlSeconds: number, owner: string): Promise<void> {
    await this.commit(id, input, ttlSeconds, (current, changes) => {
      if (current) {
        // An id Create or POST /storage/{ttl} generated belongs to nobody, so it cannot be claimed.
        if (current.owner === undefined) throw gmsError(Errors.STORAGE_ID_TAKEN, { id });
        checkAccess(id, current, { gmsUser: owner });
      }
      return { content: changes, owner };
    });
  }

  /** Adds or replaces keys of an existing record and gives the whole record (files included) a new TTL. */
  async update(id: string, input: UserDataInput, ttlSeconds: number, access: UserDataAccess): Promise<void> {
    await this.commit(id, input, ttlSeconds, (current, changes) => {
      if (!current) throw gmsError(Errors.STORAGE_NOT_FOUND, { id });
      checkAccess(id, current, access);
      return { content: mergeContent(current, changes), owner: current.owner };
    });
  }

  /** Like `update`, but creates the record when it is absent (the data of a service that had none). */
  async upsert(id: string, input: UserDataInput, ttlSeconds: number, access: UserDataAccess): Promise<void> {
    await this.commit(id, input, ttlSeconds, (current, changes) => {
      if (current) checkAccess(id, current, access);
      return { content: mergeContent(current ?? EMPTY_CONTENT, changes), owner: current?.owner };
    });
  }

  /** A record, or undefined when absent or expired; no owner check (for the engine's own use). */
  async get(id: string): Promise<UserDataRecord | undefined> {
    return parse(await this.records.get(id));
  }

  /** A record the caller may read; 404 when absent or expired, 400/403 for a custom id of another `gms_user`. */
  async read(id: string, access: UserDataAccess): Promise<UserDataRecord> {
    const record = await this.get(id);
    if (!record) throw gmsError(Errors.STORAGE_NOT_FOUND, { id });
    checkAccess(id, record, access);
    return record;
  }

  /** The value of one key: its string, or its file with the bytes (read once). */
  async readKey(id: string, key: string, access: UserDataAccess): Promise<StoredValue> {
    const record = await this.read(id, access);
    if (Object.hasOwn(record.fields, key)) return { kind: 'text', value: record.fields[key] ?? '' };
    const info = Object.hasOwn(record.files, key) ? record.files[key] : undefined;
    const data = info && (await this.blobs.get(info.blob));
    if (!info || !data) throw gmsError(Errors.STORAGE_KEY_NOT_FOUND, { id, key });
    return { kind: 'file', info, data };
  }

  /** Deletes one key (string or file); the record keeps its TTL. */
  async deleteKey(id: string, key: string, access: UserDataAccess): Promise<void> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const raw = await this.records.get(id);
      const current = parse(raw);
      if (!current) throw gmsError(Errors.STORAGE_NOT_FOUND, { id });
      checkAccess(id, current, access);
      if (!hasKey(current, key)) throw gmsError(Errors.STORAGE_KEY_NOT_FOUND, { id, key });
      const next: UserDataRecord = { ...current, ...removeKey(current, key) };
      const remainingMs = current.expiresAt - Date.now();
      if (remainingMs <= 0) throw gmsError(Errors.STORAGE_NOT_FOUND, { id });
      if (await this.records.compareAndSet(id, raw, JSON.stringify(next), remainingMs)) {
        await this.deleteBlobs(droppedBlobs(current, next));
        return;
      }
    }
    throw gmsError(Errors.STORAGE_BUSY, { id, attempts: MAX_ATTEMPTS });
  }

  /** Deletes a record and its files; false when it did not exist. */
  async delete(id: string, access: UserDataAccess = {}): Promise<boolean> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const raw = await this.records.get(id);
      const current = parse(raw);
      if (!current) return false;
      checkAccess(id, current, access);
      if (await this.records.compareAndSet(id, raw, undefined, 1)) {
        await this.deleteBlobs(droppedBlobs(current, EMPTY_CONTENT));
        return true;
      }
    }
    throw gmsError(Errors.STORAGE_BUSY, { id, attempts: MAX_ATTEMPTS });
  }

  /** Checks, writes the new files, swaps the record, then deletes the bytes it no longer references. */
  /** Checks the input limits and describes the request's keys as record content, with fresh blob keys for files. */
  private prepare(id: string, input: UserDataInput): { changes: RecordContent; uploads: Upload[] } {
    const normalized = normalizeInput(input);
    checkInputLimits(normalized, this.limits);
    const uploads = normalized.files.map((file) => ({ file, info: describeUpload(id, file) }));
    const changes: RecordContent = {
      fields: normalized.fields,
      files: Object.fromEntries(uploads.map(({ file, info }) => [file.field, info])),
    };
    return { changes, uploads };
  }

  private async commit(id: string, input: UserDataInput, ttlSeconds: number, plan: Plan): Promise<void> {
    const { changes, uploads } = this.prepare(id, input);
    const build = (raw: string | undefined): Attempt => {
      const next = plan(parse(raw), changes);
      checkRecordLimits(id, next.content, this.limits);
      return { raw, ...next };
    };
    // The first check runs before any byte is written, so a refused request leaves nothing behind.
    const first = build(await this.records.get(id));
    const graceTtl = ttlSeconds + BLOB_GRACE_SECONDS;
    await Promise.all(uploads.map(({ file, info }) => this.blobs.put(info.blob, file.data, graceTtl)));
    let stored: Attempt;
    try {
      stored = await this.swapUntilStored(id, first, { build, changes, ttlSeconds });
    } catch (error) {
      await this.deleteBlobs(uploads.map(({ info }) => info.blob));
      throw error;
    }
    await this.deleteBlobs(droppedBlobs(parse(stored.raw), stored.content));
  }

  /** Swaps the record in; after a lost race, re-reads it and re-plans (re-checking everything) up to MAX_ATTEMPTS. */
  private async swapUntilStored(id: string, first: Attempt, round: Round): Promise<Attempt> {
    let attempt = first;
    for (let count = 1; count <= MAX_ATTEMPTS; count++) {
      await this.touchKept(attempt.content, round.changes, round.ttlSeconds);
      const record: UserDataRecord = {
        ...attempt.content,
        expiresAt: Date.now() + round.ttlSeconds * 1000,
        owner: attempt.owner,
      };
      if (await this.swap(id, attempt.raw, record, round.ttlSeconds)) return attempt;
      attempt = round.build(await this.records.get(id));
    }
    throw gmsError(Errors.STORAGE_BUSY, { id, attempts: MAX_ATTEMPTS });
  }

  /** Writes `record` if the stored value is still `raw` (absent: only if still absent). */
  private swap(id: string, raw: string | undefined, record: UserDataRecord, ttlSeconds: number): Promise<boolean> {
    const value = JSON.stringify(record);
    const ttlMs = ttlToMs(ttlSeconds);
    return raw === undefined
      ? this.records.takeIfFree(id, value, ttlMs)
      : this.records.compareAndSet(id, raw, value, ttlMs);
  }

  /** Gives the files a record keeps from its previous version the record's new TTL, without reading them. */
  private async touchKept(content: RecordContent, changes: RecordContent, ttlSeconds: number): Promise<void> {
    const fresh = new Set(Object.values(changes.files).map((file) => file.blob));
    const kept = Object.values(content.files).filter((file) => !fresh.has(file.blob));
    await Promise.all(kept.map((file) => this.blobs.touch(file.blob, ttlSeconds + BLOB_GRACE_SECONDS)));
  }

  private async deleteBlobs(keys: readonly string[]): Promise<void> {
    await Promise.all(keys.map((key) => this.blobs.delete(key)));
  }
}

function describeUpload(id: string, file: UploadedFile): StoredFileInfo {
  return {
    filename: file.filename,
    contentType: file.contentType,
    size: file.data.length,
    blob: `${id}/${newId()}`,
  };
}

function parse(raw: string | undefined): UserDataRecord | undefined {
  return raw === undefined ? undefined : (JSON.parse(raw) as UserDataRecord);
}
