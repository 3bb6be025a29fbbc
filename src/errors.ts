/**
 * The one error registry: every error the engine answers has a stable code, an HTTP status, the GMS `exception`
 * name existing clients look for, and a message template. Handlers throw `GmsError`; one middleware renders it.
 */

/** Exception names used by GMS 8.5; clients match on these strings, so they must stay exactly as GMS spells them. */
const GSG = 'com.genesyslab.gsg.GSGException';
const SERVICE_UNAVAILABLE = 'com.genesyslab.gsg.services.callback.exceptions.CallbackExceptionServiceUnavailable';
const NOT_FOUND = 'com.genesyslab.gsg.services.callback.exceptions.CallbackExceptionNotFound';
const RESOURCE = 'com.genesyslab.gsg.services.callback.exceptions.CallbackExceptionResource';

/** One registered error kind. */
export interface ErrorDefinition {
  /** Stable machine-readable code, e.g. `GMS_SERVICE_NOT_FOUND`. */
  readonly code: string;
  /** HTTP status answered. */
  readonly status: number;
  /** GMS exception name rendered in the body. */
  readonly exception: string;
  /** Message template; `{name}` placeholders are filled from the parameters given when thrown. */
  readonly message: string;
}

function define(code: string, status: number, exception: string, message: string): ErrorDefinition {
  return Object.freeze({ code, status, exception, message });
}

/** Every error the engine can answer. Codes are unique (a unit test checks it). */
export const Errors = {
  BAD_REQUEST: define('GMS_BAD_REQUEST', 400, GSG, '{detail}'),
  INVALID_PARAMETER: define('GMS_INVALID_PARAMETER', 400, GSG, 'Invalid parameter {field}: {rule}'),
  MISSING_PARAMETER: define('GMS_MISSING_PARAMETER', 400, GSG, 'Missing mandatory parameter {field}: {hint}'),
  INVALID_BODY: define('GMS_INVALID_BODY', 400, GSG, 'The request body could not be read: {detail}'),
  BODY_TOO_LARGE: define('GMS_BODY_TOO_LARGE', 413, GSG, 'The request body is too large: {detail}'),
  UNSUPPORTED_MEDIA_TYPE: define('GMS_UNSUPPORTED_MEDIA_TYPE', 415, GSG, '{detail}'),
  UNAUTHORIZED: define('GMS_UNAUTHORIZED', 401, GSG, 'Authentication required: {detail}'),
  FORBIDDEN: define('GMS_FORBIDDEN', 403, GSG, '{detail}'),
  ROUTE_NOT_FOUND: define('GMS_ROUTE_NOT_FOUND', 404, GSG, 'No API at {method} {path}'),
  METHOD_NOT_ALLOWED: define('GMS_METHOD_NOT_ALLOWED', 405, GSG, '{detail}'),
  SERVICE_NOT_CONFIGURED: define(
    'GMS_SERVICE_NOT_CONFIGURED',
    404,
    RESOURCE,
    'Service {service} is not configured: add a [service.{service}] section',
  ),
  SERVICE_INVALID: define('GMS_SERVICE_INVALID', 503, RESOURCE, 'Service {service} is not available: {detail}'),
  SERVICE_INSTANCE_NOT_FOUND: define(
    'GMS_SERVICE_INSTANCE_NOT_FOUND',
    404,
    NOT_FOUND,
    'Service instance {id} does not exist or has expired',
  ),
  REQUEST_NOT_SUPPORTED: define(
    'GMS_REQUEST_NOT_SUPPORTED',
    400,
    GSG,
    'Service {service} (template {template}) has no request {request}; it supports: {supported}',
  ),
  NOT_FOUND: define('GMS_NOT_FOUND', 404, NOT_FOUND, '{detail}'),
  CONFLICT: define('GMS_CONFLICT', 409, GSG, '{detail}'),
  NODE_OFFLINE: define('GMS_NODE_OFFLINE', 503, SERVICE_UNAVAILABLE, 'This node is OFFLINE'),
  SERVICE_UNAVAILABLE: define('GMS_SERVICE_UNAVAILABLE', 503, SERVICE_UNAVAILABLE, '{detail}'),
  TEMPLATE_NOT_FOUND: define('GMS_TEMPLATE_NOT_FOUND', 404, GSG, 'Template {name} is not installed'),
  TEMPLATE_EXISTS: define(
    'GMS_TEMPLATE_EXISTS',
    409,
    GSG,
    'Template {name} is already installed: send ?replace=true to replace it',
  ),
  TEMPLATE_IN_USE: define('GMS_TEMPLATE_IN_USE', 409, GSG, 'Template {name} is used by service(s) {services}'),
  TEMPLATE_BUILTIN: define(
    'GMS_TEMPLATE_BUILTIN',
    409,
    GSG,
    'Template {name} comes from the plugin folder {folder} and cannot be deleted or replaced through the API',
  ),
  TEMPLATE_INVALID: define('GMS_TEMPLATE_INVALID', 400, GSG, 'Template package refused: {detail}'),
  TEMPLATE_CODE_NOT_ALLOWED: define(
    'GMS_TEMPLATE_CODE_NOT_ALLOWED',
    400,
    GSG,
    'Template package {name} carries handler code ({file}), and [server] allow_template_code is false: ' +
      'set allow_template_code = true to load code, or upload a template that reuses an installed plugin',
  ),
  TEMPLATE_PLUGIN_TAKEN: define(
    'GMS_TEMPLATE_PLUGIN_TAKEN',
    409,
    GSG,
    'Template {name} brings plugin {plugin}, which template {owner} already provides: ' +
      'name another plugin in the "service" field of its template.json',
  ),
  TEMPLATE_PLUGIN_IN_USE: define(
    'GMS_TEMPLATE_PLUGIN_IN_USE',
    409,
    GSG,
    'Template {name} brings plugin {plugin}, which template(s) {templates} use: delete or replace them first',
  ),
  TEMPLATE_BREAKS_SERVICES: define(
    'GMS_TEMPLATE_BREAKS_SERVICES',
    409,
    GSG,
    'Template {name} cannot be changed: configured services would become invalid ({detail}); fix their sections first',
  ),
  CONFIGURED_STATUS: define('GMS_CONFIGURED_STATUS', 500, GSG, '{detail}'),
  NOT_IMPLEMENTED: define('GMS_NOT_IMPLEMENTED', 501, GSG, '{detail}'),
  INTERNAL: define('GMS_INTERNAL', 500, GSG, 'Internal server error (reference {reference})'),
  CONFIG_CHANGED_ON_DISK: define(
    'GMS_CONFIG_CHANGED_ON_DISK',
    409,
    GSG,
    'The configuration file {file} changed on disk after the engine loaded it (edited by hand?); nothing was ' +
      'written, so that edit is kept. Retry once the engine has applied it (the live reload applies a valid file ' +
      'within a second and logs the problems of an invalid one)',
  ),
  CONFIG_CHANGE_INVALID: define(
    'GMS_CONFIG_CHANGE_INVALID',
    400,
    GSG,
    'Change refused, the configuration file was not touched: {detail}',
  ),
  ADMIN_SERVICE_EXISTS: define(
    'GMS_ADMIN_SERVICE_EXISTS',
    409,
    GSG,
    'Service {service} already exists: change it with PATCH or choose another name',
  ),
  ADMIN_OPTION_MANDATORY: define(
    'GMS_ADMIN_OPTION_MANDATORY',
    409,
    GSG,
    'Option {option} of service {service} cannot be {action}: {reason}',
  ),
  ADMIN_OPTION_NOT_FOUND: define(
    'GMS_ADMIN_OPTION_NOT_FOUND',
    404,
    NOT_FOUND,
    'Option {option} is not configured in service {service}',
  ),
  ADMIN_OPTION_EXISTS: define(
    'GMS_ADMIN_OPTION_EXISTS',
    409,
    GSG,
    'Service {service} already has an option {option}: delete it first or choose another name',
  ),
  ADMIN_PRESET_NOT_FOUND: define(
    'GMS_ADMIN_PRESET_NOT_FOUND',
    400,
    GSG,
    'Template {template} has no preset {preset}; its presets are: {presets}',
  ),
  PATTERN_GROUP_NOT_FOUND: define(
    'GMS_PATTERN_GROUP_NOT_FOUND',
    404,
    NOT_FOUND,
    'Pattern group {group} does not exist: create it first ([pattern.{group}])',
  ),
  PATTERN_GROUP_EXISTS: define('GMS_PATTERN_GROUP_EXISTS', 409, GSG, 'Pattern group {group} already exists'),
  PATTERN_NOT_FOUND: define('GMS_PATTERN_NOT_FOUND', 404, NOT_FOUND, 'Pattern group {group} has no pattern {name}'),
  PATTERN_INVALID: define('GMS_PATTERN_INVALID', 400, GSG, 'Pattern {name} of group {group} {rule}'),
  STORAGE_NOT_FOUND: define('GMS_STORAGE_NOT_FOUND', 404, GSG, 'Storage id {id} does not exist or has expired'),
  STORAGE_KEY_NOT_FOUND: define('GMS_STORAGE_KEY_NOT_FOUND', 404, GSG, 'Storage id {id} has no key {key}'),
  STORAGE_USER_REQUIRED: define(
    'GMS_STORAGE_USER_REQUIRED',
    400,
    GSG,
    'Storage id {id} is a custom id bound to a gms_user: send the gms_user header it was created with',
  ),
  STORAGE_FORBIDDEN: define(
    'GMS_STORAGE_FORBIDDEN',
    403,
    GSG,
    'Storage id {id} is bound to another gms_user: only the gms_user that created it may use it',
  ),
  STORAGE_ID_INVALID: define('GMS_STORAGE_ID_INVALID', 400, GSG, 'Invalid custom storage id {id}: {rule}'),
  STORAGE_ID_TAKEN: define(
    'GMS_STORAGE_ID_TAKEN',
    409,
    GSG,
    'Storage id {id} is already used by data that no gms_user owns: choose another custom id',
  ),
  STORAGE_TTL_TOO_LARGE: define(
    'GMS_STORAGE_TTL_TOO_LARGE',
    400,
    GSG,
    'Invalid ttl {ttl}: must be at most {max} seconds ([storage] max_ttl)',
  ),
  STORAGE_TOO_LARGE: define(
    'GMS_STORAGE_TOO_LARGE',
    413,
    GSG,
    '{detail}: [storage] {limit} is {max}; send less, or raise {limit} in the [storage] section',
  ),
  STORAGE_TOO_MANY_KEYS: define(
    'GMS_STORAGE_TOO_MANY_KEYS',
    400,
    GSG,
    'Storage id {id} would hold {count} keys: [storage] max_keys is {max}; send fewer keys, or raise max_keys in the [storage] section',
  ),
  SERVICE_DATA_KEY_NOT_FOUND: define(
    'GMS_SERVICE_DATA_KEY_NOT_FOUND',
    404,
    GSG,
    'Service instance {id} has no user data key {key}',
  ),
  STORAGE_BUSY: define(
    'GMS_STORAGE_BUSY',
    409,
    GSG,
    'Storage id {id} was changed by other requests during this one {attempts} times: send the request again',
  ),
  STORAGE_UNAVAILABLE: define('GMS_STORAGE_UNAVAILABLE', 503, SERVICE_UNAVAILABLE, 'Storage is unavailable: {detail}'),
  RESOURCE_GROUP_UNKNOWN: define(
    'GMS_RESOURCE_GROUP_UNKNOWN',
    400,
    RESOURCE,
    'Resource group {group} is not configured: add a [resource.{group}] section with its access numbers (configured groups: {groups})',
  ),
  RESOURCE_GROUP_NOT_FOUND: define(
    'GMS_RESOURCE_GROUP_NOT_FOUND',
    404,
    NOT_FOUND,
    'Resource group {group} is not configured',
  ),
  RESOURCES_EXHAUSTED: define(
    'GMS_RESOURCES_EXHAUSTED',
    503,
    SERVICE_UNAVAILABLE,
    'No access number is free in resource group {group}: its {total} number(s) are all booked (locking); retry after {seconds} s, or add numbers to [resource.{group}]',
  ),
  RESOURCE_BOOKING_FAILED: define(
    'GMS_RESOURCE_BOOKING_FAILED',
    503,
    SERVICE_UNAVAILABLE,
    'Could not book an access number in resource group {group}: {detail}',
  ),
  RESOURCE_GROUP_EXISTS: define(
    'GMS_RESOURCE_GROUP_EXISTS',
    409,
    GSG,
    'Resource group {group} already exists: add numbers to it (POST .../resources/{group}/numbers) or choose another name',
  ),
  RESOURCE_GROUP_IN_USE: define(
    'GMS_RESOURCE_GROUP_IN_USE',
    409,
    GSG,
    'Resource group {group} cannot be deleted: service(s) {services} name it in _resource_group; change or delete them first',
  ),
  RESOURCE_GROUP_RESERVED: define(
    'GMS_RESOURCE_GROUP_RESERVED',
    409,
    GSG,
    'Resource group {group} has {count} live reservation(s) ({holders}): delete it once those calls are matched or the bookings end, or send ?force=true to release them',
  ),
  RESOURCE_NUMBERS_RESERVED: define(
    'GMS_RESOURCE_NUMBERS_RESERVED',
    409,
    GSG,
    '{entry} of resource group {group} is reserved right now ({holders}): remove it once the call is matched or the booking ends, or send ?force=true to release the reservation(s) and remove it',
  ),
  RESOURCE_ENTRY_NOT_FOUND: define(
    'GMS_RESOURCE_ENTRY_NOT_FOUND',
    404,
    NOT_FOUND,
    'Resource group {group} has no access number or range {entry}: {hint}',
  ),
} as const;

/** Parameters that fill a message template. */
export type ErrorParams = Readonly<Record<string, string | number>>;

/** An error the engine answers on purpose: it carries its registry entry and the filled message. */
export class GmsError extends Error {
  /** The registry entry. */
  readonly definition: ErrorDefinition;
  /** Extra response headers (e.g. `Retry-After`, `WWW-Authenticate`). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(definition: ErrorDefinition, params: ErrorParams = {}, headers: Record<string, string> = {}) {
    super(fillTemplate(definition.message, params));
    this.name = 'GmsError';
    this.definition = definition;
    this.headers = headers;
  }

  /** HTTP status answered. */
  get status(): number {
    return this.definition.status;
  }

  /** The JSON body GMS clients expect. */
  toBody(): { message: string; exception: string; code: string } {
    return { message: this.message, exception: this.definition.exception, code: this.definition.code };
  }
}

/** Shorthand for throwing: `throw gmsError(Errors.NOT_FOUND, { detail: '...' })`. */
export function gmsError(
  definition: ErrorDefinition,
  params: ErrorParams = {},
  headers: Record<string, string> = {},
): GmsError {
  return new GmsError(definition, params, headers);
}

function fillTemplate(template: string, params: ErrorParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
}
