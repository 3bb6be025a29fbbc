/**
 * What a user data record is, and the pure steps that turn a request into the next version of a record: merging,
 * replacing, removing a key, and checking who may touch it. Nothing here does I/O, so every check runs before
 * anything is written.
 */
import { Errors, gmsError } from '../errors.ts';

/** A file received in a multipart body. */
export interface UploadedFile {
  /** The form field name (the user data key). */
  readonly field: string;
  /** The client's file name. */
  readonly filename: string;
  /** The content type the client declared. */
  readonly contentType: string;
  /** The bytes. */
  readonly data: Buffer;
}

/** What is known of a stored file without reading its bytes. */
export interface StoredFileInfo {
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  /** Key of the bytes in the `data` blob store; a new one per upload, so a replaced file never mixes versions. */
  readonly blob: string;
}

/** One user data record. */
export interface UserDataRecord {
  /** String values by key. */
  readonly fields: Readonly<Record<string, string>>;
  /** Files by key (bytes are in the blob store). */
  readonly files: Readonly<Record<string, StoredFileInfo>>;
  /** Epoch ms after which the record is gone. */
  readonly expiresAt: number;
  /** `gms_user` the record is bound to (custom ids), if any. */
  readonly owner?: string;
}

/** What one request asks to store: string values and files, each key at most once. */
export interface UserDataInput {
  readonly fields: Readonly<Record<string, string>>;
  readonly files: readonly UploadedFile[];
}

/** Who is calling: the `gms_user` header, which a custom id's owner must match. */
export interface UserDataAccess {
  readonly gmsUser?: string;
}

/**
 * One key per name: when a request sends a name twice, the last file wins, and a file wins over a string of the same
 * name (a multipart form sends the file as the value of that field).
 */
export function normalizeInput(input: UserDataInput): UserDataInput {
  // Without files every key is already unique (a Create's common case).
  if (input.files.length === 0) return input;
  const files = new Map(input.files.map((file) => [file.field, file]));
  const fields = Object.fromEntries(Object.entries(input.fields).filter(([key]) => !files.has(key)));
  return { fields, files: [...files.values()] };
}

/** The keys and values of a record, without its expiry and owner. */
export type RecordContent = Pick<UserDataRecord, 'fields' | 'files'>;

/** An empty record content. */
export const EMPTY_CONTENT: RecordContent = Object.freeze({ fields: {}, files: {} });

/** `base` with the keys of `changes` added or replaced (a string may replace a file and the reverse). */
export function mergeContent(base: RecordContent, changes: RecordContent): RecordContent {
  const changed = (key: string) => Object.hasOwn(changes.fields, key) || Object.hasOwn(changes.files, key);
  return {
    fields: { ...withoutKeys(base.fields, changed), ...changes.fields },
    files: { ...withoutKeys(base.files, changed), ...changes.files },
  };
}

/** `content` without `key`. */
export function removeKey(content: RecordContent, key: string): RecordContent {
  const other = (candidate: string) => candidate === key;
  return { fields: withoutKeys(content.fields, other), files: withoutKeys(content.files, other) };
}

/** Whether `content` holds `key` (as a string or a file). */
export function hasKey(content: RecordContent, key: string): boolean {
  return Object.hasOwn(content.fields, key) || Object.hasOwn(content.files, key);
}

/** Blob keys of `before` that `after` no longer references: they can be deleted once `after` is stored. */
export function droppedBlobs(before: RecordContent | undefined, after: RecordContent): string[] {
  if (!before) return [];
  const kept = new Set(Object.values(after.files).map((file) => file.blob));
  return Object.values(before.files)
    .map((file) => file.blob)
    .filter((blob) => !kept.has(blob));
}

/** Refuses a caller whose `gms_user` does not match the owner of a custom id; records without owner are open. */
export function checkAccess(id: string, record: UserDataRecord, access: UserDataAccess): void {
  if (record.owner === undefined) return;
  if (!access.gmsUser) throw gmsError(Errors.STORAGE_USER_REQUIRED, { id });
  if (access.gmsUser !== record.owner) throw gmsError(Errors.STORAGE_FORBIDDEN, { id });
}

function withoutKeys<T>(values: Readonly<Record<string, T>>, drop: (key: string) => boolean): Record<string, T> {
  return Object.fromEntries(Object.entries(values).filter(([key]) => !drop(key)));
}
