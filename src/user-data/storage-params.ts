/** The path parameters of the Storage API: the ttl (with GMS's fallback) and caller-chosen custom ids. */
import { Errors, gmsError } from '../errors.ts';
import { DEFAULT_TTL_SECONDS } from '../services/service-dispatcher.ts';

/** Custom ids: safe in a URL path segment and in every backend's keys. */
const CUSTOM_ID = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/;

/** Path segments of the Storage API that a custom id would shadow. */
const RESERVED_IDS = new Set(['binary', 'custom']);

/**
 * The ttl of a Storage API call: as GMS does, anything but a positive whole number of seconds means 30; a ttl over
 * `[storage] max_ttl` is refused rather than shortened, so a client never keeps data for less time than it asked.
 */
export function storageTtl(raw: string, maxTtlSeconds: number): number {
  const ttl = /^\d+$/.test(raw) ? Number(raw) : 0;
  if (ttl <= 0) return DEFAULT_TTL_SECONDS;
  if (ttl > maxTtlSeconds) throw gmsError(Errors.STORAGE_TTL_TOO_LARGE, { ttl: raw, max: maxTtlSeconds });
  return ttl;
}

/** Refuses a custom id that could not be addressed by the Storage API's paths. */
export function checkCustomId(id: string): void {
  if (RESERVED_IDS.has(id.toLowerCase())) {
    throw gmsError(Errors.STORAGE_ID_INVALID, { id, rule: `${id} is a path segment of the Storage API` });
  }
  if (!CUSTOM_ID.test(id)) {
    throw gmsError(Errors.STORAGE_ID_INVALID, {
      id,
      rule: 'use 1 to 128 letters, digits and . _ @ + -, starting with a letter or digit',
    });
  }
}
