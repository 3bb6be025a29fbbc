/**
 * The resource-group API (`EngineServices.resources`): applies the strategies of the configured groups, proposes
 * access codes, applies the match rules and answers group states, over a `ResourceStore` that does each step
 * atomically. The groups in force are swapped as a whole on a live reload, after the store's pools follow them.
 */

import { Errors, gmsError } from '../errors.ts';
import { newId } from '../ids.ts';
import { serviceDataId } from '../services/service-data.ts';
import type { UserDataRecord } from '../user-data/user-data-store.ts';
import { codeCandidates, DEFAULT_CODE_LENGTH, MAX_CODE_LENGTH } from './access-code.ts';
import type { NumberSet } from './access-numbers.ts';
import type { GroupDefinition } from './group-config.ts';
import { chooseMatches, normalizePhone } from './match-rules.ts';
import { userDataView } from './matched-data.ts';
import type { ReservationRef, ResourceStore, StoredReservation } from './resource-store.ts';
import type {
  Allocation,
  AllocationRequest,
  MatchedService,
  MatchQuery,
  Page,
  ResourceAccess,
  ResourceGroupDetail,
  ResourceGroupState,
} from './types.ts';

/** Booking attempts before giving up (a code clash or a number leaving the pool during a reload costs one). */
const BOOKING_ATTEMPTS = 5;
/** The code candidates of a booking without an access code. */
const NO_CODES: readonly string[] = Object.freeze([]);
/** Look-ups before a match gives up when concurrent matches keep taking the candidates first. */
const MATCH_ATTEMPTS = 3;

/** What the manager needs besides its store. */
export interface ResourceManagerOptions {
  readonly store: ResourceStore;
  /** Reads user data records (match-interaction `_return_data`). */
  readUserData(id: string): Promise<UserDataRecord | undefined>;
  /** `[server] access_code_prefix` in force. */
  accessCodePrefix(): string;
}

/** The resource groups of the engine. */
export class ResourceManager implements ResourceAccess {
  private groupsInForce: ReadonlyMap<string, GroupDefinition> = new Map();

  constructor(private readonly options: ResourceManagerOptions) {}

  /** Makes `groups` the groups in force; the store's pools are brought in line first. */
  async apply(groups: ReadonlyMap<string, GroupDefinition>): Promise<void> {
    const { store } = this.options;
    for (const group of groups.values()) {
      const previous = this.groupsInForce.get(group.name);
      if (previous?.numbers.fingerprint === group.numbers.fingerprint && previous.locking === group.locking) continue;
      await store.syncPool({ group: group.name, locking: group.locking, numbers: group.numbers });
    }
    for (const name of this.groupsInForce.keys()) if (!groups.has(name)) await store.dropPool(name);
    this.groupsInForce = groups;
  }

  async allocate(request: AllocationRequest): Promise<Allocation> {
    const group = this.requireGroup(request.group);
    const bookingSeconds = request.bookingSeconds ?? group.bookingSeconds;
    const codeLength = request.codeLength ?? DEFAULT_CODE_LENGTH;
    if (!Number.isInteger(codeLength) || codeLength < 1 || codeLength > MAX_CODE_LENGTH) {
      throw gmsError(Errors.INVALID_PARAMETER, {
        field: '_access_code_length',
        rule: `must be a whole number from 1 to ${MAX_CODE_LENGTH}`,
      });
    }
    const ani = normalizePhone(request.phoneNumber);
    for (let attempt = 0; attempt < BOOKING_ATTEMPTS; attempt++) {
      const result = await this.options.store.book({
        id: newId(),
        group: group.name,
        number: group.locking
          ? undefined
          : group.strategy === 'random'
            ? randomNumber(group)
            : await this.nextInTurn(group),
        locking: group.locking,
        serviceId: request.serviceId,
        dataId: request.dataId,
        ani,
        codes: request.provideCode ? codeCandidates(codeLength, this.options.accessCodePrefix()) : NO_CODES,
        ttlMs: bookingSeconds * 1000,
      });
      if (result.outcome === 'booked') {
        const { reservation } = result;
        return {
          reservationId: reservation.id,
          group: group.name,
          accessNumber: reservation.number,
          accessCode: reservation.code,
          expirationSeconds: bookingSeconds,
        };
      }
      if (result.outcome === 'exhausted') {
        const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
        throw gmsError(
          Errors.RESOURCES_EXHAUSTED,
          { group: group.name, total: group.numbers.size, seconds },
          { 'Retry-After': String(seconds) },
        );
      }
    }
    throw gmsError(Errors.RESOURCE_BOOKING_FAILED, {
      group: group.name,
      detail: request.provideCode
        ? `every access code tried was in use on the chosen numbers; increase _access_code_length (now ${codeLength})`
        : 'the group was being reconfigured; try again',
    });
  }

  async releaseService(serviceId: string): Promise<number> {
    return (await this.options.store.releaseService(serviceId)).length;
  }

  /** The live reservations holding any of `numbers` (admin: who holds the numbers about to be removed). */
  reservationsOn(numbers: NumberSet): Promise<StoredReservation[]> {
    return this.options.store.reservationsOn(numbers);
  }

  /** Releases reservations (admin `?force=true`); returns those this call released. */
  release(reservations: readonly ReservationRef[]): Promise<StoredReservation[]> {
    return this.options.store.release(reservations);
  }

  async match(query: MatchQuery): Promise<MatchedService[]> {
    const number = query.accessNumber.trim();
    const call = { ani: normalizePhone(query.phoneNumber), code: query.accessCode?.trim() || undefined };
    for (let attempt = 0; attempt < MATCH_ATTEMPTS; attempt++) {
      const chosen = chooseMatches(await this.options.store.candidates(number, call), call);
      if (chosen.length === 0) return [];
      const wanted = query.multiple ? chosen : chosen.slice(0, 1);
      // Release decides: a reservation is released once, so two calls matched at the same time never share it.
      const released = await this.options.store.release(wanted);
      const order = new Map(wanted.map((reservation, index) => [reservation.id, index]));
      released.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
      if (released.length > 0) return Promise.all(released.map((r) => this.describe(r, query.withUserData)));
    }
    return [];
  }

  async groups(): Promise<ResourceGroupState[]> {
    const groups = [...this.groupsInForce.values()];
    const states = await Promise.all(groups.map((group) => this.state(group, { offset: 0, limit: 0 })));
    return states.map(({ reservations: _listed, ...counters }) => counters);
  }

  async group(name: string, page: Page = { offset: 0, limit: 100 }): Promise<ResourceGroupDetail | undefined> {
    const group = this.groupsInForce.get(name);
    return group ? this.state(group, page) : undefined;
  }

  private async state(group: GroupDefinition, page: Page): Promise<ResourceGroupDetail> {
    const state = await this.options.store.poolState(group.name, page);
    return {
      name: group.name,
      strategy: group.strategy,
      booking_expiration_timeout: group.bookingSeconds,
      total: state.total,
      available: state.available,
      reserved: state.reserved,
      reservations: state.reservations.map((reservation) => ({
        id: reservation.id,
        access_number: reservation.number,
        access_code: reservation.code,
        phone_number: reservation.ani,
        service_id: reservation.serviceId,
        data_id: reservation.dataId,
        expires_at: new Date(reservation.expiresAt).toISOString(),
      })),
    };
  }

  private requireGroup(name: string): GroupDefinition {
    const group = this.groupsInForce.get(name);
    if (!group) {
      throw gmsError(Errors.RESOURCE_GROUP_UNKNOWN, {
        group: name,
        groups: [...this.groupsInForce.keys()].join(', ') || 'none',
      });
    }
    return group;
  }

  /** The next number in turn (round-robin), counted across the cluster. */
  private async nextInTurn(group: GroupDefinition): Promise<string> {
    return group.numbers.at((await this.options.store.nextIndex(group.name)) % group.numbers.size);
  }

  private async describe(reservation: StoredReservation, withUserData: boolean): Promise<MatchedService> {
    // GMS always answers a `_data_id`. A service booked without user data may have been given some since, through
    // its service-scoped storage, which keeps it under the id derived from the service: that is the one to answer.
    const dataId = reservation.dataId ?? serviceDataId(reservation.serviceId);
    const record = withUserData ? await this.options.readUserData(dataId) : undefined;
    return {
      serviceId: reservation.serviceId,
      dataId,
      group: reservation.group,
      accessNumber: reservation.number,
      accessCode: reservation.code,
      phoneNumber: reservation.ani,
      userData: record ? userDataView(dataId, record) : undefined,
    };
  }
}

/** A number of the group drawn uniformly at random (`random` strategy; not a secret, so Math.random does). */
function randomNumber(group: GroupDefinition): string {
  return group.numbers.at(Math.floor(Math.random() * group.numbers.size));
}
