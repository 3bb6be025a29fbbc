/**
 * The `[storage]` limits of user data. Values and files are checked as they arrive; the number of keys and the size
 * of the whole record are checked on the record as it would be stored, so an update that would overflow it is
 * refused before anything is written.
 */
import type { StorageOptions } from '../config/server-options.ts';
import { Errors, gmsError } from '../errors.ts';
import type { RecordContent, UserDataInput } from './user-data-record.ts';

/** The limits, as `[storage]` names them. */
export type UserDataLimits = Readonly<
  Pick<StorageOptions, 'max_value_bytes' | 'max_file_bytes' | 'max_record_bytes' | 'max_keys'>
>;

/** Refuses a string value or a file of the request that is larger than its limit. */
export function checkInputLimits(input: UserDataInput, limits: UserDataLimits): void {
  // Loops over keys, not entries: this runs on every Create, and an array per key costs more than the check.
  for (const key in input.fields) {
    const bytes = Buffer.byteLength(input.fields[key] ?? '');
    if (bytes > limits.max_value_bytes) {
      throw gmsError(Errors.STORAGE_TOO_LARGE, {
        detail: `The value of key ${key} is ${bytes} bytes`,
        limit: 'max_value_bytes',
        max: limits.max_value_bytes,
      });
    }
  }
  for (const file of input.files) {
    if (file.data.length > limits.max_file_bytes) {
      throw gmsError(Errors.STORAGE_TOO_LARGE, {
        detail: `The file of key ${file.field} (${file.filename}) is ${file.data.length} bytes`,
        limit: 'max_file_bytes',
        max: limits.max_file_bytes,
      });
    }
  }
}

/** Refuses a record that would hold too many keys or too many bytes. */
export function checkRecordLimits(id: string, content: RecordContent, limits: UserDataLimits): void {
  let count = 0;
  for (const _key in content.fields) count++;
  for (const _key in content.files) count++;
  if (count > limits.max_keys) {
    throw gmsError(Errors.STORAGE_TOO_MANY_KEYS, { id, count, max: limits.max_keys });
  }
  const bytes = recordBytes(content);
  if (bytes > limits.max_record_bytes) {
    throw gmsError(Errors.STORAGE_TOO_LARGE, {
      detail: `Storage id ${id} would hold ${bytes} bytes of keys, values and files`,
      limit: 'max_record_bytes',
      max: limits.max_record_bytes,
    });
  }
}

/** Bytes of every key, string value and file of a record. */
export function recordBytes(content: RecordContent): number {
  let bytes = 0;
  for (const key in content.fields) bytes += Buffer.byteLength(key) + Buffer.byteLength(content.fields[key] ?? '');
  for (const key in content.files) bytes += Buffer.byteLength(key) + (content.files[key]?.size ?? 0);
  return bytes;
}
