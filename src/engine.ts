/**
 * The engine: configuration, storage, templates, services and the dispatcher, composed and kept consistent. It
 * validates a configuration completely before using it, swaps it atomically on a live change, and closes in the
 * reverse order of opening.
 */
import path from 'node:path';
import { Mutex } from 'async-mutex';
import { ConfigError, type ConfigIssue, formatIssue } from './config/config-error.ts';
import { type EngineConfig, readConfig } from './config/read-config.ts';
import type { Logger } from './logger.ts';
import { NodeState } from './node/node-state.ts';
import { checkPatternGroups } from './patterns/pattern-groups.ts';
import type { InstanceAccess } from './plugin-api.ts';
import { pluginServices } from './plugin-services.ts';
import { buildResourceGroups, checkGroupReferences, type GroupDefinition } from './resources/group-config.ts';
import { openResourceStore } from './resources/open-resource-store.ts';
import { ResourceManager } from './resources/resource-manager.ts';
import { InstanceStore } from './services/instance-store.ts';
import { ServiceData } from './services/service-data.ts';
import { ServiceDispatcher } from './services/service-dispatcher.ts';
import { buildServices, type ConfiguredService } from './services/service-registry.ts';
import { MemoryBackend } from './storage/memory-backend.ts';
import { openStorage } from './storage/open-storage.ts';
import type { StorageBackend } from './storage/types.ts';
import { TemplateLoader } from './templates/template-loader.ts';
import { type RegistryView, type TemplateLookup, TemplateRegistry } from './templates/template-registry.ts';
import { UserDataStore } from './user-data/user-data-store.ts';

/** Options of `Engine.start`. */
export interface EngineOptions {
  /** The INI configuration file. */
  configFile: string;
  /** Where log lines go. */
  logger: Logger;
}

/** Server options that only take effect at start-up; a live change to them is logged and ignored. */
const RESTART_ONLY = ['port', 'data_dir', 'plugins_dir', 'templates_dir'] as const;

/** A running engine. */
export class Engine {
  /** Templates and plugins. */
  readonly registry = new TemplateRegistry();
  /** This node's ONLINE/OFFLINE status. */
  readonly node = new NodeState();
  /** The Service API logic. */
  readonly dispatcher: ServiceDispatcher;
  /** User data records. */
  readonly userData: UserDataStore;
  /** User data of service instances (service-scoped storage). */
  readonly serviceData: ServiceData;
  /** The one template loader. */
  readonly loader: TemplateLoader;
  /** Resource groups (access numbers), their reservations and call matching. */
  readonly resources: ResourceManager;
  private currentConfig: EngineConfig;
  private currentServices = new Map<string, ConfiguredService>();
  private readonly shutdownListeners: Array<() => void> = [];
  /** Reloads run one at a time, so an older read of the file can never be applied after a newer one. */
  private readonly reloadLock = new Mutex();

  private constructor(
    config: EngineConfig,
    /** The storage backend. */
    readonly storage: StorageBackend,
    /** Where log lines go. */
    readonly log: Logger,
  ) {
    this.currentConfig = config;
    const instances = new InstanceStore(storage);
    this.userData = new UserDataStore(storage, config.storage);
    this.serviceData = new ServiceData(instances, this.userData);
    this.resources = new ResourceManager({
      store: openResourceStore(storage),
      readUserData: (id) => this.userData.get(id),
      accessCodePrefix: () => this.currentConfig.server.access_code_prefix,
    });
    this.dispatcher = new ServiceDispatcher({
      services: () => this.currentServices,
      plugin: (name) => this.registry.plugin(name),
      instances,
      userData: this.userData,
      maxTtlSeconds: () => this.currentConfig.storage.max_ttl,
      releaseResources: (id) => this.resources.releaseService(id),
    });
    const instanceAccess: InstanceAccess = {
      get: (id) => instances.get(id),
      updateState: async (id, state) => {
        const instance = await instances.get(id);
        if (!instance) return false;
        await instances.put({ ...instance, state });
        return true;
      },
      delete: (id) => this.dispatcher.deleteIfLive(id),
    };
    this.loader = new TemplateLoader(this.registry, {
      pluginsDir: config.server.plugins_dir,
      templatesDir: config.server.templates_dir,
      codeDir: path.join(config.server.data_dir, 'template-code'),
      allowTemplateCode: () => this.currentConfig.server.allow_template_code,
      servicesFor: (plugin) =>
        pluginServices(plugin, { storage, instances: instanceAccess, node: this.node, log, resources: this.resources }),
      checkServices: (view) => this.checkServices(this.currentConfig, view),
    });
  }

  /** Reads the configuration, opens storage, loads templates and validates every service; throws ConfigError. */
  static async start(options: EngineOptions): Promise<Engine> {
    const { config, issues } = await readConfig(options.configFile);
    // With [server] or [storage] broken, services are still checked (on throwaway in-process storage, connecting to
    // nothing) so that one failed start lists every problem of the file.
    const storage = issues.length > 0 ? new MemoryBackend() : await openStorage(config.storage, options.logger);
    const engine = new Engine(config, storage, options.logger);
    try {
      for (const failure of await engine.loader.loadAll()) {
        options.logger.error('template not loaded', { template: failure.subject, reason: failure.message });
      }
      const built = await engine.check(config);
      if (issues.length + built.issues.length > 0) throw new ConfigError([...issues, ...built.issues]);
      await engine.resources.apply(built.groups);
      engine.currentServices = built.services;
    } catch (error) {
      await engine.close();
      throw error;
    }
    return engine;
  }

  /** The configuration in force. */
  get config(): EngineConfig {
    return this.currentConfig;
  }

  /** The configured services in force. */
  get services(): ReadonlyMap<string, ConfiguredService> {
    return this.currentServices;
  }

  /**
   * Re-reads the configuration file; applies it when every section is valid, otherwise keeps the configuration in
   * force and returns the problems.
   */
  reload(): Promise<{ applied: boolean; issues: ConfigIssue[] }> {
    return this.reloadLock.runExclusive(() => this.reloadNow());
  }

  /**
   * Every problem of `config` beyond its syntax: services against their templates, resource groups, pattern groups.
   * Start-up, live reload and the admin API all use this one check, so they accept and refuse exactly the same files.
   */
  async check(config: EngineConfig): Promise<{
    services: Map<string, ConfiguredService>;
    groups: Map<string, GroupDefinition>;
    issues: ConfigIssue[];
  }> {
    const built = this.build(config, (name) => this.registry.template(name));
    const groups = buildGroups(config);
    return {
      services: built.services,
      groups: groups.groups,
      issues: [...built.issues, ...groups.issues, ...(await checkPatternGroups(config))],
    };
  }

  private async reloadNow(): Promise<{ applied: boolean; issues: ConfigIssue[] }> {
    const { config: read, issues } = await readConfig(this.currentConfig.file);
    if (read.text === this.currentConfig.text) return { applied: false, issues: [] };
    const config = this.keepRestartOnlyOptions(read);
    const built = await this.check(config);
    const all = [...issues, ...built.issues];
    if (all.length > 0) {
      this.log.error('configuration change refused; the previous configuration keeps serving', {
        problems: all.map(formatIssue),
      });
      return { applied: false, issues: all };
    }
    await this.resources.apply(built.groups);
    this.currentConfig = config;
    this.currentServices = built.services;
    this.log.info('configuration reloaded', { services: [...built.services.keys()] });
    return { applied: true, issues: [] };
  }

  /** Names of the configured services whose `_service` is `template`. */
  servicesUsing(template: string): string[] {
    return [...this.currentConfig.services]
      .filter(([, section]) => section.get('_service') === template)
      .map(([name]) => name);
  }

  /** Re-validates services after the installed templates changed (upload, replace, delete). */
  refreshServices(): void {
    const built = this.build(this.currentConfig, (name) => this.registry.template(name));
    this.currentServices = built.services;
  }

  /** Registers a listener for a SHUTDOWN request (`changestatus/SHUTDOWN`). */
  onShutdownRequest(listener: () => void): void {
    this.shutdownListeners.push(listener);
  }

  /** Asks whoever runs the server to shut down gracefully. */
  requestShutdown(): void {
    for (const listener of this.shutdownListeners) listener();
  }

  /** Closes plugins, then storage. */
  async close(): Promise<void> {
    await this.loader.closeAll();
    await this.storage.close();
  }

  private build(config: EngineConfig, lookup: TemplateLookup) {
    return buildServices(config, lookup, (name) => this.registry.plugin(name));
  }

  private checkServices(config: EngineConfig, view: RegistryView): string[] {
    return buildServices(config, view.template, view.plugin).issues.map(formatIssue);
  }

  private keepRestartOnlyOptions(read: EngineConfig): EngineConfig {
    const server = { ...read.server };
    for (const option of RESTART_ONLY) {
      if (server[option] !== this.currentConfig.server[option]) {
        this.log.warn('option changed; it takes effect after a restart', { option: `server.${option}` });
        Object.assign(server, { [option]: this.currentConfig.server[option] });
      }
    }
    if (JSON.stringify(read.storage) !== JSON.stringify(this.currentConfig.storage)) {
      this.log.warn('[storage] changed; it takes effect after a restart');
    }
    return Object.freeze({ ...read, server: Object.freeze(server), storage: this.currentConfig.storage });
  }
}

/** The resource groups of a configuration, with the problems of their sections and of services naming them. */
function buildGroups(config: EngineConfig): { groups: Map<string, GroupDefinition>; issues: ConfigIssue[] } {
  const { groups, issues } = buildResourceGroups(config);
  return { groups, issues: [...issues, ...checkGroupReferences(config, groups)] };
}
