/**
 * Which live reservation a call belongs to, following the seed's "Access Number Allocation Call Flows":
 * 1. an access code was entered: the reservation holding that code on the called number (codes are unique per
 *    number, so this is never ambiguous); the caller's number is not checked, the code authenticates;
 * 2. otherwise, with the caller's number (ANI): the reservations made for that phone number on the called number;
 * 3. otherwise (or when 2 finds none): the service holding the called number alone (`locking` groups). With shared
 *    strategies the number alone identifies nobody ("DNIS only - no match is done here").
 * A reservation that was given an access code is only matched with its code: the code is the extra authentication
 * the service asked for.
 */
import type { MatchCandidates, StoredReservation } from './resource-store.ts';

/** What the call carries, normalised. */
export interface CallIdentity {
  readonly ani?: string;
  readonly code?: string;
}

/** The matching reservations, most recent first. */
export function chooseMatches(candidates: MatchCandidates, call: CallIdentity): StoredReservation[] {
  if (call.code !== undefined) return candidates.byCode ? [candidates.byCode] : [];
  const withoutCode = (reservation: StoredReservation) => reservation.code === undefined;
  if (call.ani !== undefined) {
    const byAni = candidates.byAni.filter(withoutCode).reverse();
    if (byAni.length > 0) return byAni;
  }
  const { holder } = candidates;
  return holder && withoutCode(holder) ? [holder] : [];
}

/** A phone number as indexes keep it: spaces, dots, dashes and parentheses removed; undefined when empty. */
export function normalizePhone(value: string | undefined): string | undefined {
  const phone = value?.replace(/[\s().-]/g, '');
  return phone ? phone : undefined;
}
