/**
 * User data: the non-underscore fields (strings and files) of a request, stored with a TTL and referenced by a
 * data id (`_data_id`). Strings live in the `data` namespace; file bytes in the `data` blob store, never re-encoded.
 */
import { randomUUID } from 'node:crypto';
import type { BlobStore, KeyValueStore, StorageBackend } from '../storage/types.ts';

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

/** Stores and reads user data records. */
export class UserDataStore {
  private readonly records: KeyValueStore<UserDataRecord>;
  private readonly blobs: BlobStore;

  constructor(storage: StorageBackend) {
    this.records = storage.namespace<UserDataRecord>('data');
    this.blobs = storage.blobs('data');
  }

  /** Stores a new record and returns its id. Files are written first, so a record never points to missing bytes. */
  async create(
    fields: Readonly<Record<string, string>>,
    files: readonly UploadedFile[],
    ttlSeconds: number,
  ): Promise<string> {
    const id = randomUUID();
    const fileInfo: Record<string, StoredFileInfo> = {};
    for (const file of files) {
      await this.blobs.put(blobKey(id, file.field), file.data, ttlSeconds);
      fileInfo[file.field] = { filename: file.filename, contentType: file.contentType, size: file.data.length };
    }
    await this.records.set(
      id,
      { fields: { ...fields }, files: fileInfo, expiresAt: Date.now() + ttlSeconds * 1000 },
      ttlSeconds,
    );
    return id;
  }

  /** A record, or undefined when absent or expired. */
  async get(id: string): Promise<UserDataRecord | undefined> {
    return this.records.get(id);
  }

  /** The bytes of one file of a record. */
  async file(id: string, key: string): Promise<Buffer | undefined> {
    return this.blobs.get(blobKey(id, key));
  }

  /** Deletes a record and its files; true when it existed. */
  async delete(id: string): Promise<boolean> {
    const record = await this.records.get(id);
    if (!record) return false;
    await this.records.delete(id);
    await Promise.all(Object.keys(record.files).map((key) => this.blobs.delete(blobKey(id, key))));
    return true;
  }
}

function blobKey(id: string, key: string): string {
  return `${id}/${key}`;
}
