/**
 * Configured services: each `[service.<name>]` section joined with its template and plugin, its options validated
 * against the template's schema exactly once per configuration. A configuration with any invalid section is refused
 * as a whole, with every problem listed.
 */
import path from 'node:path';
import type { ConfigIssue } from '../config/config-error.ts';
import type { EngineConfig, SectionOptions } from '../config/read-config.ts';
import type { ServiceDescription } from '../plugin-api.ts';
import type { PluginRecord, TemplateLookup, TemplateRecord } from '../templates/template-registry.ts';
import { describeAjvErrors } from '../validation.ts';

/** Options every service section may carry, handled by the engine rather than by templates. */
const ENGINE_OPTIONS = ['_type', '_service', '_overwritable_options'] as const;

const ENGINE_OPTION_NAMES: ReadonlySet<string> = new Set(ENGINE_OPTIONS);

/** Whether `option` is one of the engine's own options (not validated by templates). */
export function isEngineOption(option: string): boolean {
  return ENGINE_OPTION_NAMES.has(option);
}

const ACCEPTED_TYPES = new Set(['builtin', 'built-in']);

/** A configured service, ready to serve. */
export interface ConfiguredService {
  /** The service name. */
  readonly name: string;
  /** The template. */
  readonly template: TemplateRecord;
  /** The plugin named by the template. */
  readonly plugin: PluginRecord;
  /** The options as written in the file (strings), in file order: these win over request values. */
  readonly configured: SectionOptions;
  /** Validated, typed options with defaults, in file order (defaults last). */
  readonly options: Readonly<Record<string, unknown>>;
  /** Options a request may override (`_overwritable_options`). */
  readonly overwritable: ReadonlySet<string>;
  /** What a plugin is told of the service. */
  readonly description: ServiceDescription;
}

/** Finds a plugin by name. */
export type PluginLookup = (name: string) => PluginRecord | undefined;

/** Builds every configured service of `config`; returns the services and the problems (empty when all are valid). */
export function buildServices(
  config: EngineConfig,
  templates: TemplateLookup,
  plugins: PluginLookup,
): { services: Map<string, ConfiguredService>; issues: ConfigIssue[] } {
  const services = new Map<string, ConfiguredService>();
  const issues: ConfigIssue[] = [];
  for (const [name, section] of config.services) {
    const result = buildService(name, section, templates, plugins);
    if ('service' in result) services.set(name, result.service);
    else {
      const file = path.basename(config.file);
      for (const problem of result.problems) issues.push({ file, section: `service.${name}`, ...problem });
    }
  }
  return { services, issues };
}

/** Validates one service section. */
export function buildService(
  name: string,
  section: SectionOptions,
  templates: TemplateLookup,
  plugins: PluginLookup,
): { service: ConfiguredService } | { problems: Array<{ option: string; rule: string }> } {
  const templateName = section.get('_service');
  if (!templateName) {
    return { problems: [{ option: '_service', rule: 'is mandatory: name the template this service uses (e.g. get)' }] };
  }
  const problems: Array<{ option: string; rule: string }> = [];
  const type = section.get('_type') ?? 'builtin';
  if (!ACCEPTED_TYPES.has(type)) {
    problems.push({
      option: '_type',
      rule: `must be builtin (got ${type}); Orchestration Server services are not supported`,
    });
  }
  const template = templates(templateName);
  if (!template) {
    return {
      problems: [...problems, { option: '_service', rule: `names template ${templateName}, which is not installed` }],
    };
  }
  const plugin = plugins(template.manifest.service);
  if (!plugin) {
    return {
      problems: [
        ...problems,
        {
          option: '_service',
          rule: `template ${templateName} uses plugin ${template.manifest.service}, which is not installed`,
        },
      ],
    };
  }
  const options = templateOptions(section);
  if (!template.validateOptions(options)) {
    problems.push(...describeAjvErrors(template.validateOptions.errors));
  }
  if (problems.length > 0) return { problems };
  const overwritable = new Set(
    (section.get('_overwritable_options') ?? '')
      .split(',')
      .map((option) => option.trim())
      .filter(Boolean),
  );
  const frozenOptions = Object.freeze({ ...Object.fromEntries(section), ...options });
  return {
    service: Object.freeze({
      name,
      template,
      plugin,
      configured: section,
      options: frozenOptions,
      overwritable,
      description: Object.freeze({ name, template: templateName, options: frozenOptions }),
    }),
  };
}

/** The options a template validates: the section without the engine's own options. */
export function templateOptions(values: Iterable<[string, unknown]>): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [key, value] of values) {
    if (!isEngineOption(key)) options[key] = value;
  }
  return options;
}
