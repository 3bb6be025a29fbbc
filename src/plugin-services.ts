/** Builds the `EngineServices` a plugin is handed: storage scoped to the plugin, errors, instances, clock, log. */
import { Errors, gmsError } from './errors.ts';
import type { Logger } from './logger.ts';
import type { NodeState } from './node/node-state.ts';
import type { EngineServices, InstanceAccess, PluginErrors, ResourceAccess } from './plugin-api.ts';
import type { StorageBackend } from './storage/types.ts';

/** The errors plugins throw, rendered by the engine's error middleware. */
export const pluginErrors: PluginErrors = {
  invalidParameter: (field, rule) => gmsError(Errors.INVALID_PARAMETER, { field, rule }),
  missingParameter: (field, hint) => gmsError(Errors.MISSING_PARAMETER, { field, hint }),
  badRequest: (detail) => gmsError(Errors.BAD_REQUEST, { detail }),
  notFound: (detail) => gmsError(Errors.NOT_FOUND, { detail }),
  conflict: (detail) => gmsError(Errors.CONFLICT, { detail }),
  unavailable: (detail, retryAfterSeconds) =>
    gmsError(
      Errors.SERVICE_UNAVAILABLE,
      { detail },
      retryAfterSeconds === undefined ? {} : { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
    ),
  configuredStatus: (status, detail) => ({ status, body: gmsError(Errors.CONFIGURED_STATUS, { detail }).toBody() }),
};

/** What every plugin shares. */
export interface SharedPluginServices {
  readonly storage: StorageBackend;
  readonly instances: InstanceAccess;
  readonly node: NodeState;
  readonly log: Logger;
  readonly resources: ResourceAccess;
}

/** The services one plugin gets; its storage names are prefixed with `plugin:<name>:`. */
export function pluginServices(pluginName: string, shared: SharedPluginServices): EngineServices {
  const scope = (name: string) => `plugin:${pluginName}:${name}`;
  return {
    pluginName,
    namespace: (name) => shared.storage.namespace(scope(name)),
    atomic: (name) => shared.storage.atomic(scope(name)),
    blobs: (name) => shared.storage.blobs(scope(name)),
    instances: shared.instances,
    errors: pluginErrors,
    nodeStatus: () => shared.node.status,
    log: {
      info: (message, fields) => shared.log.info(message, { plugin: pluginName, ...fields }),
      warn: (message, fields) => shared.log.warn(message, { plugin: pluginName, ...fields }),
      error: (message, fields) => shared.log.error(message, { plugin: pluginName, ...fields }),
    },
    now: () => Date.now(),
    resources: shared.resources,
  };
}
