/**
 * The resource-group API as plugins see it (re-exported by plugin-api.ts): book an access number (and code) for a
 * service, release what a service holds, match a call to the service it belongs to, read the state of a group.
 */

/** How a group hands out its numbers. `local` is accepted as GMS spells it and means `random`. */
export type AllocationStrategy = 'random' | 'round-robin' | 'locking';

/** What a plugin asks for when it books an access number for a service. */
export interface AllocationRequest {
  /** The resource group (`_resource_group`). */
  readonly group: string;
  /** The live service instance the number is booked for; match-interaction answers it as `_id`. */
  readonly serviceId: string;
  /** The service's user data id; match-interaction answers it as `_data_id`. */
  readonly dataId?: string;
  /** The phone number the customer will call from (`_phone_number`), matched against the caller's ANI. */
  readonly phoneNumber?: string;
  /** Whether an access code is issued with the number (`_provide_code`). */
  readonly provideCode: boolean;
  /** Digits of the access code (`_access_code_length`); default 6. */
  readonly codeLength?: number;
  /** Seconds the booking is held; default the group's `_booking_expiration_timeout`. */
  readonly bookingSeconds?: number;
}

/** A booked access number. */
export interface Allocation {
  /** Id of the reservation (shown by the admin API). */
  readonly reservationId: string;
  readonly group: string;
  /** `_access_number`. */
  readonly accessNumber: string;
  /** `_access_code`, when one was asked for. */
  readonly accessCode?: string;
  /** `_expiration_time`: seconds the booking is held. */
  readonly expirationSeconds: number;
}

/** A match-interaction query: what telephony knows of the call. */
export interface MatchQuery {
  /** The number the customer called (DNIS). */
  readonly accessNumber: string;
  /** The caller's number (ANI). */
  readonly phoneNumber?: string;
  /** The code the caller entered. */
  readonly accessCode?: string;
  /** Every matching service instead of the most recent one (`_return_multiple_matches`). */
  readonly multiple: boolean;
  /** Include the services' user data (`_return_data`, `_return_user_data`). */
  readonly withUserData: boolean;
}

/** A file of a matched service's user data: its metadata and where to fetch its bytes. */
export interface MatchedFile {
  readonly filename: string;
  readonly content_type: string;
  readonly size: number;
  /** Path of the Storage API that serves the bytes: `/genesys/1/storage/binary/{data_id}/{key}`. */
  readonly url: string;
}

/** One service a call was matched to; its reservation is released. */
export interface MatchedService {
  /** `_id` of the service. */
  readonly serviceId: string;
  /**
   * `_data_id` of its user data: the record stored at Create, or for a service created without user data the id its
   * service-scoped storage writes to (`serviceDataId`), which holds nothing until the app stores something there.
   */
  readonly dataId: string;
  readonly group: string;
  readonly accessNumber: string;
  readonly accessCode?: string;
  readonly phoneNumber?: string;
  /** The user data (strings, and files as `MatchedFile`), when asked for and still stored. */
  readonly userData?: Readonly<Record<string, string | MatchedFile>>;
}

/** Counters of a group. */
export interface ResourceGroupState {
  readonly name: string;
  readonly strategy: AllocationStrategy;
  /** Default seconds a booking is held. */
  readonly booking_expiration_timeout: number;
  /** Numbers in the pool. */
  readonly total: number;
  /** Numbers with no live reservation. */
  readonly available: number;
  /** Live reservations (with `locking`, equal to total - available). */
  readonly reserved: number;
}

/** A group's counters as request-interaction's `_return_pool_health` answers them (`_pool_health`). */
export type PoolHealth = Pick<ResourceGroupState, 'total' | 'available' | 'reserved'>;

/** One live reservation, as the admin API shows it. */
export interface ReservationView {
  readonly id: string;
  readonly access_number: string;
  readonly access_code?: string;
  readonly phone_number?: string;
  readonly service_id: string;
  readonly data_id?: string;
  /** ISO time the booking ends. */
  readonly expires_at: string;
}

/** A group's counters and one page of its live reservations (soonest to expire first). */
export interface ResourceGroupDetail extends ResourceGroupState {
  readonly reservations: readonly ReservationView[];
}

/** A page of a list. */
export interface Page {
  readonly offset: number;
  readonly limit: number;
}

/** The resource-group API handed to plugins (`EngineServices.resources`). */
export interface ResourceAccess {
  /** Books a number (and code); throws 400 for an unknown group, 503 with `Retry-After` when a locking pool is full. */
  allocate(request: AllocationRequest): Promise<Allocation>;
  /** Releases every reservation of a service; returns how many were live. */
  releaseService(serviceId: string): Promise<number>;
  /** Finds the service(s) a call belongs to and releases their reservations; empty when nothing matches. */
  match(query: MatchQuery): Promise<MatchedService[]>;
  /** The counters of every configured group. */
  groups(): Promise<ResourceGroupState[]>;
  /** One group with a page of its live reservations; undefined when it is not configured. */
  group(name: string, page?: Page): Promise<ResourceGroupDetail | undefined>;
}
