/**
 * The only surface a plugin sees: the types of the calls it handles and the engine services it is handed. A plugin
 * module's default export is a `PluginFactory`; plugins from uploaded zips cannot import engine files, so everything
 * they need (errors included) arrives through `EngineServices`.
 */
import type { GmsError } from './errors.ts';
import type { Allocation, ResourceAccess } from './resources/types.ts';
import type { AtomicOperations, BlobStore, KeyValueStore } from './storage/types.ts';

export type {
  Allocation,
  AllocationRequest,
  AllocationStrategy,
  MatchedFile,
  MatchedService,
  MatchQuery,
  Page,
  PoolHealth,
  ReservationView,
  ResourceAccess,
  ResourceGroupDetail,
  ResourceGroupState,
} from './resources/types.ts';
export type { AtomicOperations, BlobStore, KeyValueStore } from './storage/types.ts';

/** ONLINE: serving; OFFLINE: serving, but load balancers are told to take the node out. */
export type NodeStatus = 'ONLINE' | 'OFFLINE';

/** A configured service as a plugin sees it. */
export interface ServiceDescription {
  /** Service name (`[service.<name>]`). */
  readonly name: string;
  /** Template name (`_service`). */
  readonly template: string;
  /** Configured options, validated against the template, defaults applied, in file order. */
  readonly options: Readonly<Record<string, unknown>>;
}

/** One live service instance, made by a Create. */
export interface ServiceInstance {
  /** The `_id` answered to the client. */
  readonly id: string;
  /** The configured service that made it. */
  readonly service: string;
  /** Its template. */
  readonly template: string;
  /** The plugin that handles it. */
  readonly plugin: string;
  /** Service parameters (configured options merged with the request's `_` parameters). */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** Id of the user data stored at Create, when the request carried any. */
  readonly dataId?: string;
  /** The `gms_user` header of the Create request. */
  readonly gmsUser?: string;
  /** Epoch ms of creation. */
  readonly createdAt: number;
  /** Epoch ms after which the instance is gone. */
  readonly expiresAt: number;
  /** What the plugin chose to keep (e.g. its reservation). */
  readonly state: Readonly<Record<string, unknown>>;
}

/** A Create request, after the engine merged parameters and stored user data. */
export interface CreateCall {
  /** The configured service. */
  readonly service: ServiceDescription;
  /** The id the new instance will have. */
  readonly id: string;
  /** Merged, validated service parameters. */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** Id of the user data stored for this request (absent when it carried none). */
  readonly dataId?: string;
  /** The `gms_user` header. */
  readonly gmsUser?: string;
  /** How long the instance lives, in seconds (`_ttl`). */
  readonly ttlSeconds: number;
}

/** What a Create answers. */
export interface CreateResult {
  /** Fields of the JSON answer, after `_id`. */
  readonly body: Readonly<Record<string, unknown>>;
  /** HTTP status (default 200). */
  readonly status?: number;
  /** Kept with the instance for later requests and for `release`. */
  readonly state?: Readonly<Record<string, unknown>>;
  /** False when the call makes no instance of its own (match-interaction); `_id` is then not added. */
  readonly keepInstance?: boolean;
}

/** A `GET /genesys/1/service/{name}` call (get, basic_get, office hours, ...). */
export interface ReadCall {
  readonly service: ServiceDescription;
  /** Query string parameters. */
  readonly query: Readonly<Record<string, string>>;
  readonly gmsUser?: string;
}

/** A service-specific request on a live instance: `POST /genesys/1/service/{id}/{request}`. */
export interface InstanceCall {
  readonly instance: ServiceInstance;
  /** The request name. */
  readonly request: string;
  /** Body fields of the request (strings). */
  readonly parameters: Readonly<Record<string, string>>;
  readonly gmsUser?: string;
}

/** An answer with a status and a JSON (or text) body. */
export interface Reply {
  readonly status: number;
  readonly body: unknown;
}

/** What a plugin implements; every member is optional, and a call the plugin lacks is answered with a clear error. */
export interface PluginHandler {
  /** Handles Create (`POST /genesys/1/service/{name}`). */
  create?(call: CreateCall): Promise<CreateResult>;
  /** Handles `GET /genesys/1/service/{name}`. */
  read?(call: ReadCall): Promise<Reply>;
  /** Named service-specific requests. */
  readonly requests?: Readonly<Record<string, (call: InstanceCall) => Promise<Reply>>>;
  /** Releases what an instance holds; called when the instance is deleted. */
  release?(instance: ServiceInstance): Promise<void>;
  /** Called on shutdown and when the plugin is replaced. */
  close?(): Promise<void>;
}

/** The errors a plugin may throw; each is rendered by the engine with its status and GMS exception name. */
export interface PluginErrors {
  /** 400: a parameter has a wrong value. */
  invalidParameter(field: string, rule: string): GmsError;
  /** 400: a mandatory parameter is missing; `hint` says how to supply it. */
  missingParameter(field: string, hint: string): GmsError;
  /** 400: anything else wrong with the request. */
  badRequest(detail: string): GmsError;
  /** 404. */
  notFound(detail: string): GmsError;
  /** 409. */
  conflict(detail: string): GmsError;
  /** 503, with a `Retry-After` header when given. */
  unavailable(detail: string, retryAfterSeconds?: number): GmsError;
  /** An error answer with a status chosen by configuration (basic_get's `result`, get's `_offline_code`). */
  configuredStatus(status: number, detail: string): Reply;
}

/** Access to other live instances (request-access and match-interaction act on services they did not create). */
export interface InstanceAccess {
  /** A live instance, or undefined. */
  get(id: string): Promise<ServiceInstance | undefined>;
  /** Replaces the plugin state of a live instance; false when it is gone. */
  updateState(id: string, state: Readonly<Record<string, unknown>>): Promise<boolean>;
  /** Deletes an instance after its plugin released it; false when it was gone. */
  delete(id: string): Promise<boolean>;
}

/** Engine services handed to a plugin when it is created. */
export interface EngineServices {
  /** The plugin's name. */
  readonly pluginName: string;
  /** Key/values scoped to this plugin (`name` is prefixed with the plugin's name). */
  namespace<T>(name: string): KeyValueStore<T>;
  /** Atomic operations scoped to this plugin. */
  atomic(name: string): AtomicOperations;
  /** Blobs scoped to this plugin. */
  blobs(name: string): BlobStore;
  /** Live service instances. */
  readonly instances: InstanceAccess;
  /** Errors to throw. */
  readonly errors: PluginErrors;
  /** This node's status. */
  nodeStatus(): NodeStatus;
  /** Structured log lines. */
  readonly log: PluginLogger;
  /** Current time in epoch ms (tests may replace it). */
  now(): number;
  /**
   * Resource groups: book access numbers and codes for a service, match calls, read group states. What is booked
   * for a service is released by the engine when the service is deleted.
   */
  readonly resources: ResourceAccess;
}

/** A minimal structured logger. */
export interface PluginLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** The default export of a plugin handler module. */
export type PluginFactory = (engine: EngineServices) => PluginHandler | Promise<PluginHandler>;

/** The options without a leading underscore, in configuration order: what GMS returns to callers (get, basic_get). */
export function publicOptions(options: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).filter(([key]) => !key.startsWith('_')));
}

/** The access information GMS answers for a booked number: `_access_number`, `_access_code` (when issued) and
 * `_expiration_time` (seconds the booking is held). */
export function accessInformation(allocation: Allocation): Record<string, string | number> {
  return {
    _access_number: allocation.accessNumber,
    ...(allocation.accessCode === undefined ? {} : { _access_code: allocation.accessCode }),
    _expiration_time: allocation.expirationSeconds,
  };
}

/** A parameter as trimmed text, or undefined when it is absent, not a string or blank. */
export function textParameter(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** A parameter as a number, or undefined when it is absent or not a number (the template schema coerced it). */
export function numberParameter(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
