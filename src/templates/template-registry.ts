/** The installed templates and plugins, by name. */
import type { ValidateFunction } from 'ajv';
import type { PluginHandler } from '../plugin-api.ts';
import type { TemplateManifest } from './manifest.ts';

/** Where a template came from. */
export type TemplateOrigin =
  | { readonly kind: 'folder'; readonly folder: string }
  | { readonly kind: 'zip'; readonly file: string; readonly codeFolder?: string };

/** A loaded plugin: the handler one service type runs. */
export interface PluginRecord {
  readonly name: string;
  readonly handler: PluginHandler;
  /** The template that brought the plugin (its folder's own, or a code zip's). */
  readonly template: string;
}

/** A registered template: its manifest, where it came from, and its options validator (compiled once). */
export interface TemplateRecord {
  readonly manifest: TemplateManifest;
  readonly origin: TemplateOrigin;
  /** Validates (and coerces, and fills defaults of) an options object in place. */
  readonly validateOptions: ValidateFunction;
}

/** Looks a template up by name. */
export type TemplateLookup = (name: string) => TemplateRecord | undefined;

/** Templates and plugins currently installed. */
export class TemplateRegistry {
  private readonly templates = new Map<string, TemplateRecord>();
  private readonly plugins = new Map<string, PluginRecord>();

  /** A template by name. */
  template(name: string): TemplateRecord | undefined {
    return this.templates.get(name);
  }

  /** A plugin by name. */
  plugin(name: string): PluginRecord | undefined {
    return this.plugins.get(name);
  }

  /** Every template, sorted by name. */
  list(): TemplateRecord[] {
    return [...this.templates.values()].sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
  }

  /** Every plugin. */
  listPlugins(): PluginRecord[] {
    return [...this.plugins.values()];
  }

  /** The plugin a template brought (its folder's own, or a code zip's), if any. */
  pluginOf(template: string): PluginRecord | undefined {
    return [...this.plugins.values()].find((plugin) => plugin.template === template);
  }

  /** Other templates that use `plugin` without bringing it. */
  usersOfPlugin(plugin: string, except: string): string[] {
    return this.list()
      .filter((record) => record.manifest.service === plugin && record.manifest.name !== except)
      .map((record) => record.manifest.name);
  }

  /** The registry as it would be after `change`, to check the configured services before committing it. */
  view(change: RegistryChange): RegistryView {
    return {
      template: (name) => {
        if (change.template && name === change.template.manifest.name) return change.template;
        return name === change.removeTemplate ? undefined : this.templates.get(name);
      },
      plugin: (name) => {
        if (change.plugin && name === change.plugin.name) return change.plugin;
        return name === change.removePlugin ? undefined : this.plugins.get(name);
      },
    };
  }

  /** Adds a template (and the plugin it brings). */
  put(record: TemplateRecord, plugin?: PluginRecord): void {
    this.templates.set(record.manifest.name, record);
    if (plugin) this.plugins.set(plugin.name, plugin);
  }

  /** Removes a template, and its plugin when the template brought it. Returns what was removed. */
  remove(name: string): { template?: TemplateRecord; plugin?: PluginRecord } {
    const template = this.templates.get(name);
    this.templates.delete(name);
    const plugin = this.pluginOf(name);
    if (plugin) this.plugins.delete(plugin.name);
    return { template, plugin };
  }
}

/** A change to check before it is made: a template (and plugin) added or replaced, or a template (and plugin) removed. */
export interface RegistryChange {
  readonly template?: TemplateRecord;
  readonly plugin?: PluginRecord;
  readonly removeTemplate?: string;
  readonly removePlugin?: string;
}

/** Lookups of templates and plugins, as the service registry uses them. */
export interface RegistryView {
  readonly template: TemplateLookup;
  readonly plugin: (name: string) => PluginRecord | undefined;
}
