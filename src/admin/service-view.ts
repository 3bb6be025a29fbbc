/**
 * Configured services as the Service Management UI shows them (seed 002, "Configured Services"): each option with
 * its template metadata (mandatory options carry a lock, request parameters a hint, advanced ones can be hidden),
 * its configured value ("not specified" when absent) and the value in force.
 */
import type { EngineConfig, SectionOptions } from '../config/read-config.ts';
import { Errors, gmsError } from '../errors.ts';
import { buildService, type ConfiguredService } from '../services/service-registry.ts';
import { describeTemplate, type OptionDescription } from '../templates/describe-template.ts';
import type { PluginRecord, TemplateRecord } from '../templates/template-registry.ts';

/** What the views read from the engine. */
export interface ServiceCatalog {
  /** The configuration in force. */
  readonly config: EngineConfig;
  /** The services that serve. */
  readonly services: ReadonlyMap<string, ConfiguredService>;
  /** Installed templates and plugins. */
  readonly registry: {
    template(name: string): TemplateRecord | undefined;
    plugin(name: string): PluginRecord | undefined;
  };
}

/** One option of a configured service. */
export interface OptionView extends Omit<OptionDescription, 'mandatory' | 'advanced' | 'request_parameter'> {
  /** The value written in the file, or null ("not specified"). */
  value: string | null;
  /** The value in force: the configured one (typed by the template) or the template's default. */
  effective?: unknown;
  /** Cannot be removed or renamed. */
  mandatory: boolean;
  /** Can be renamed or removed. */
  optional: boolean;
  /** Can be hidden in the UI. */
  advanced: boolean;
  /** Normally sent by the client; configuring it overrides the client's value. */
  request_parameter: boolean;
  /** Declared by the template (false for custom options such as `get`'s response fields and engine options). */
  from_template: boolean;
}

/** A configured service in the list. */
export interface ServiceSummary {
  name: string;
  /** The template (`_service`). */
  template: string;
  /** `serving` when the service answers; `not serving` when its section is invalid (see `problems`). */
  state: 'serving' | 'not serving';
  /** Whether its options pass the template's schema. */
  valid: boolean;
  /** What is wrong, as `option: rule`. */
  problems: string[];
  /** Where apps call it. */
  url: string;
}

/** A configured service with every option. */
export interface ServiceView extends ServiceSummary {
  options: OptionView[];
}

/** The services in file order. */
export function listServices(catalog: ServiceCatalog): ServiceSummary[] {
  return [...catalog.config.services.keys()].map((name) => summarize(catalog, name));
}

/** One service with every option; 404 when it is not configured. */
export function describeService(catalog: ServiceCatalog, name: string): ServiceView {
  const section = catalog.config.services.get(name);
  if (!section) throw gmsError(Errors.SERVICE_NOT_CONFIGURED, { service: name });
  const template = catalog.registry.template(section.get('_service') ?? '');
  const effective = catalog.services.get(name)?.options;
  const fromTemplate = template ? describeTemplate(template, []).options : [];
  const declared = new Set(fromTemplate.map((option) => option.name));
  const options: OptionView[] = [
    ...fromTemplate.map((option) => templateOption(option, section, effective)),
    ...[...section]
      .filter(([option]) => option !== '_service' && !declared.has(option))
      .map(([option, value]) => customOption(option, value, effective)),
  ];
  return { ...summarize(catalog, name), options };
}

/** Why an option cannot be removed or renamed, or undefined when it can. */
export function mandatoryReason(template: TemplateRecord | undefined, option: string): string | undefined {
  if (option === '_service') return 'it names the template of the service (create a new service to use another one)';
  if (!template) return undefined;
  const described = describeTemplate(template, []).options.find((candidate) => candidate.name === option);
  return described?.mandatory
    ? `it is mandatory in template ${template.manifest.name} (its value can be changed)`
    : undefined;
}

function summarize(catalog: ServiceCatalog, name: string): ServiceSummary {
  const section = catalog.config.services.get(name) ?? new Map<string, string>();
  const serving = catalog.services.has(name);
  const problems = serving ? [] : problemsOf(catalog, name, section);
  return {
    name,
    template: section.get('_service') ?? '',
    state: serving ? 'serving' : 'not serving',
    valid: problems.length === 0,
    problems,
    url: `/genesys/1/service/${name}`,
  };
}

function problemsOf(catalog: ServiceCatalog, name: string, section: SectionOptions): string[] {
  const built = buildService(
    name,
    section,
    (template) => catalog.registry.template(template),
    (plugin) => catalog.registry.plugin(plugin),
  );
  return 'problems' in built ? built.problems.map((problem) => `${problem.option}: ${problem.rule}`) : [];
}

function templateOption(
  option: OptionDescription,
  section: SectionOptions,
  effective: Readonly<Record<string, unknown>> | undefined,
): OptionView {
  const mandatory = option.mandatory === true;
  const value = section.get(option.name) ?? null;
  return {
    ...option,
    value,
    effective: effective ? effective[option.name] : (value ?? option.default),
    mandatory,
    optional: !mandatory,
    advanced: option.advanced === true,
    request_parameter: option.request_parameter === true,
    from_template: true,
  };
}

function customOption(
  name: string,
  value: string,
  effective: Readonly<Record<string, unknown>> | undefined,
): OptionView {
  return {
    name,
    value,
    effective: effective ? effective[name] : value,
    mandatory: false,
    optional: true,
    advanced: false,
    request_parameter: false,
    from_template: false,
  };
}
