/**
 * The user data of a matched service as match-interaction answers it (`_return_data`, `_return_user_data`): strings
 * as they were sent, files as their metadata plus the Storage API path that serves their bytes.
 */
import type { UserDataRecord } from '../user-data/user-data-store.ts';
import type { MatchedFile } from './types.ts';

/** Path of the Storage API that serves one file of a user data record. */
export function binaryUrl(dataId: string, key: string): string {
  return `/genesys/1/storage/binary/${encodeURIComponent(dataId)}/${encodeURIComponent(key)}`;
}

/** A user data record as answered to match-interaction. */
export function userDataView(dataId: string, record: UserDataRecord): Record<string, string | MatchedFile> {
  const view: Record<string, string | MatchedFile> = { ...record.fields };
  for (const [key, file] of Object.entries(record.files)) {
    view[key] = {
      filename: file.filename,
      content_type: file.contentType,
      size: file.size,
      url: binaryUrl(dataId, key),
    };
  }
  return view;
}
