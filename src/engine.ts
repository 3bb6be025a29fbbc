/**
 * The engine: configuration, storage, templates, services and the dispatcher, composed and kept consistent. It
 * validates a configuration completely before using it, swaps it atomically on a live change, and closes in the
 * reverse order of opening.
 */
import path from 'node:path';
import { ConfigError, type ConfigIssue, formatIssue } from './config/config-error.ts';
import { type EngineConfig, readConfig } from './config/read-config.ts';
import type { Logger } from './logger.ts';
import { NodeState } from './node/node-state.ts';
import type { InstanceAccess } from './plugin-api.ts';
import { pluginServices } from './plugin-services.ts';
import { buildResourceGroups, checkGroupReferences, type GroupDefinition } from './resources/group-config.ts';
import { openResourceStore } from './resources/open-resource-store.ts';
import { ResourceManager } from './resources/resource-manager.ts';
import { InstanceStore } from './services/instance-store.ts';
import { ServiceDispatcher } from './services/service-dispatcher.ts';
import { buildServices, type ConfiguredService } from './services/service-registry.ts';
import { openStorage } from './storage/open-storage.ts';
import type { StorageBackend } from './storage/types.ts';
import { TemplateLoader } from './templates/template-loader.ts';
import { type TemplateLookup, TemplateRegistry } from './templates/template-registry.ts';
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
  /** The one template loader. */
  readonly loader: TemplateLoader;
  /** Resource groups (access numbers), their reservations and call matching. */
  readonly resources: ResourceManager;
  private currentConfig: EngineConfig;
  private currentServices = new Map<string, ConfiguredService>();
  private readonly shutdownListeners: Array<() => void> = [];

  private constructor(
    config: EngineConfig,
    /** The storage backend. */
    readonly storage: StorageBackend,
    /** Where log lines go. */
    readonly log: Logger,
  ) {
    this.currentConfig = config;
    const instances = new InstanceStore(storage);
    this.userData = new UserDataStore(storage);
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
      checkServices: (lookup) => this.checkServices(this.currentConfig, lookup),
    });
  }

  /** Reads the configuration, opens storage, loads templates and validates every service; throws ConfigError. */
  static async start(options: EngineOptions): Promise<Engine> {
    const { config, issues } = await readConfig(options.configFile);
    if (issues.length > 0) throw new ConfigError(issues);
    const storage = await openStorage(config.storage);
    const engine = new Engine(config, storage, options.logger);
    try {
      for (const failure of await engine.loader.loadAll()) {
        options.logger.error('template not loaded', { template: failure.subject, reason: failure.message });
      }
      const built = engine.build(config, (name) => engine.registry.template(name));
      const groups = buildGroups(config);
      if (built.issues.length + groups.issues.length > 0) throw new ConfigError([...built.issues, ...groups.issues]);
      await engine.resources.apply(groups.groups);
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
  async reload(): Promise<{ applied: boolean; issues: ConfigIssue[] }> {
    const { config: read, issues } = await readConfig(this.currentConfig.file);
    if (read.text === this.currentConfig.text) return { applied: false, issues: [] };
    const config = this.keepRestartOnlyOptions(read);
    const built = this.build(config, (name) => this.registry.template(name));
    const groups = buildGroups(config);
    const all = [...issues, ...built.issues, ...groups.issues];
    if (all.length > 0) {
      this.log.error('configuration change refused; the previous configuration keeps serving', {
        problems: all.map(formatIssue),
      });
      return { applied: false, issues: all };
    }
    await this.resources.apply(groups.groups);
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

  private checkServices(config: EngineConfig, lookup: TemplateLookup): string[] {
    return this.build(config, lookup).issues.map(formatIssue);
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
