/**
 * The Service API's logic, below HTTP: Create, GET-style reads, service-specific requests and delete, dispatched to
 * the plugin of each service. Nothing here knows Koa.
 */

import { Errors, gmsError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Reply, ServiceInstance } from '../plugin-api.ts';
import type { PluginRecord } from '../templates/template-registry.ts';
import type { UploadedFile, UserDataStore } from '../user-data/user-data-store.ts';
import type { InstanceStore } from './instance-store.ts';
import { mergeParameters, splitFields } from './merge-parameters.ts';
import type { ConfiguredService } from './service-registry.ts';

/** A parsed request body: string fields and files. */
export interface RequestBody {
  readonly fields: Readonly<Record<string, string>>;
  readonly files: readonly UploadedFile[];
}

/** GMS's default time to live of a service and its data, in seconds. */
export const DEFAULT_TTL_SECONDS = 30;

/** What the dispatcher needs; getters, because a live configuration change swaps what they return. */
export interface DispatcherDependencies {
  services(): ReadonlyMap<string, ConfiguredService>;
  plugin(name: string): PluginRecord | undefined;
  readonly instances: InstanceStore;
  readonly userData: UserDataStore;
  /** Largest TTL accepted, in seconds. */
  maxTtlSeconds(): number;
  /** Releases what the engine booked for an instance (access numbers) when it is deleted. */
  releaseResources?(id: string): Promise<unknown>;
}

/** Dispatches Service API calls to plugins. */
export class ServiceDispatcher {
  constructor(private readonly deps: DispatcherDependencies) {}

  /** Create: `POST /genesys/1/service/{name}`. */
  async create(serviceName: string, body: RequestBody, gmsUser: string | undefined): Promise<Reply> {
    const service = this.service(serviceName);
    const { handler } = service.plugin;
    const createInstance = handler.create;
    if (!createInstance) {
      throw gmsError(Errors.METHOD_NOT_ALLOWED, {
        detail: `Service ${serviceName} (template ${service.template.manifest.name}) answers GET only`,
      });
    }
    const fields = splitFields(body.fields);
    const parameters = mergeParameters(service, fields.parameters);
    const ttlSeconds = this.ttlOf(parameters);
    const userFiles = body.files.length === 0 ? body.files : body.files.filter((file) => !file.field.startsWith('_'));
    const hasUserData = fields.hasUserFields || userFiles.length > 0;
    const dataId = hasUserData ? newId() : undefined;
    const id = newId();
    const now = Date.now();
    // The app's data is checked first (a refused value or file refuses the Create before the plugin runs), then
    // written while the plugin books, not before: on Redis both go out in one write, the data's command first (a
    // connection's commands run in order, so a booking is never seen before its data; with files, their bytes are
    // written first and the record may follow the booking by a round trip). A Create that either side fails keeps
    // nothing of the other.
    const storing = dataId && this.deps.userData.create(fields.userFields, userFiles, ttlSeconds, dataId);
    // Called inside an async function, so a plugin that throws instead of rejecting is handled the same way.
    const creating = (async () =>
      createInstance.call(handler, { service: service.description, id, parameters, dataId, gmsUser, ttlSeconds }))();
    const [stored, created] = await Promise.allSettled([storing, creating]);
    if (created.status === 'rejected') {
      if (stored.status === 'fulfilled' && dataId) await this.deps.userData.delete(dataId);
      throw stored.status === 'rejected' ? stored.reason : created.reason;
    }
    const result = created.value;
    const instance: ServiceInstance = {
      id,
      service: service.name,
      template: service.template.manifest.name,
      plugin: service.plugin.name,
      parameters,
      dataId,
      gmsUser,
      createdAt: now,
      expiresAt: now + ttlSeconds * 1000,
      state: result.state ?? {},
    };
    if (stored.status === 'rejected') {
      // The data could not be stored (storage failed): what the plugin did for this Create is undone.
      await this.releaseHeld(service.plugin, instance);
      throw stored.reason;
    }
    if (result.keepInstance === false) return { status: result.status ?? 200, body: result.body };
    await this.deps.instances.put(instance);
    return { status: result.status ?? 200, body: { _id: id, ...result.body } };
  }

  /** `GET /genesys/1/service/{name}`. */
  async read(
    serviceName: string,
    query: Readonly<Record<string, string>>,
    gmsUser: string | undefined,
  ): Promise<Reply> {
    const service = this.service(serviceName);
    const read = service.plugin.handler.read?.bind(service.plugin.handler);
    if (!read) {
      throw gmsError(Errors.METHOD_NOT_ALLOWED, {
        detail: `Service ${serviceName} (template ${service.template.manifest.name}) is created with POST, not read with GET`,
      });
    }
    return read({ service: service.description, query, gmsUser });
  }

  /** A service-specific request: `POST /genesys/1/service/{id}/{request}`. */
  async request(id: string, requestName: string, body: RequestBody, gmsUser: string | undefined): Promise<Reply> {
    const instance = await this.instance(id);
    const plugin = this.pluginOf(instance);
    const handler = plugin.handler.requests?.[requestName];
    if (!handler || !Object.hasOwn(plugin.handler.requests ?? {}, requestName)) {
      throw gmsError(Errors.REQUEST_NOT_SUPPORTED, {
        service: instance.service,
        template: instance.template,
        request: requestName,
        supported: Object.keys(plugin.handler.requests ?? {}).join(', ') || '(none)',
      });
    }
    return handler({ instance, request: requestName, parameters: body.fields, gmsUser });
  }

  /** `DELETE /genesys/1/service/{id}`: the plugin releases what the instance holds, then it is deleted. */
  async delete(id: string): Promise<void> {
    const instance = await this.instance(id);
    await this.releaseHeld(this.pluginOf(instance), instance);
    await this.deps.instances.delete(id);
  }

  /** Deletes a live instance if it exists (for plugins); false when it was gone. */
  async deleteIfLive(id: string): Promise<boolean> {
    const instance = await this.deps.instances.get(id);
    if (!instance) return false;
    await this.releaseHeld(this.deps.plugin(instance.plugin), instance);
    return this.deps.instances.delete(id);
  }

  /** The plugin releases what the instance holds, then the engine what it booked for it (access numbers). */
  private async releaseHeld(plugin: PluginRecord | undefined, instance: ServiceInstance): Promise<void> {
    await plugin?.handler.release?.(instance);
    await this.deps.releaseResources?.(instance.id);
  }

  private service(name: string): ConfiguredService {
    const service = this.deps.services().get(name);
    if (!service) throw gmsError(Errors.SERVICE_NOT_CONFIGURED, { service: name });
    return service;
  }

  private async instance(id: string): Promise<ServiceInstance> {
    const instance = await this.deps.instances.get(id);
    if (!instance) throw gmsError(Errors.SERVICE_INSTANCE_NOT_FOUND, { id });
    return instance;
  }

  private pluginOf(instance: ServiceInstance): PluginRecord {
    const plugin = this.deps.plugin(instance.plugin);
    if (!plugin) {
      throw gmsError(Errors.SERVICE_UNAVAILABLE, {
        detail: `Plugin ${instance.plugin} of service instance ${instance.id} is no longer installed`,
      });
    }
    return plugin;
  }

  private ttlOf(parameters: Readonly<Record<string, unknown>>): number {
    const ttl = Number(parameters._ttl ?? DEFAULT_TTL_SECONDS);
    const max = this.deps.maxTtlSeconds();
    if (!Number.isFinite(ttl) || ttl <= 0) {
      throw gmsError(Errors.INVALID_PARAMETER, { field: '_ttl', rule: 'must be a positive number of seconds' });
    }
    if (ttl > max) {
      throw gmsError(Errors.INVALID_PARAMETER, {
        field: '_ttl',
        rule: `must be at most ${max} seconds ([storage] max_ttl)`,
      });
    }
    return ttl;
  }
}
