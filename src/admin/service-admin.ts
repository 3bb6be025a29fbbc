/**
 * Changes to configured services through the admin API: create from a template (and preset), change options, delete.
 * Every change goes through the ConfigWriter (written back to the INI file, checked like the file at start-up, a
 * refused change leaves everything as it was) and is recorded in the audit once applied.
 */
import type { ConfigWriter } from '../config/config-writer.ts';
import type { EngineConfig } from '../config/read-config.ts';
import { Errors, gmsError } from '../errors.ts';
import { describeTemplate } from '../templates/describe-template.ts';
import type { TemplateRecord } from '../templates/template-registry.ts';
import {
  type CreateServiceBody,
  checkOptionName,
  checkSectionName,
  type OptionValue,
  optionText,
  type UpdateServiceBody,
} from './admin-input.ts';
import { type AuditLog, auditedOptions } from './audit-log.ts';
import {
  describeService,
  listServices,
  mandatoryReason,
  type ServiceCatalog,
  type ServiceSummary,
  type ServiceView,
} from './service-view.ts';

/** `_type` of the services the API creates: the engine runs every service itself (no Orchestration Server). */
const BUILTIN_TYPE = 'builtin';

/** Creates, changes and deletes configured services. */
export class ServiceAdmin {
  constructor(
    private readonly catalog: ServiceCatalog,
    private readonly writer: ConfigWriter,
    private readonly audit: AuditLog,
  ) {}

  /** The configured services, in file order. */
  list(): ServiceSummary[] {
    return listServices(this.catalog);
  }

  /** One service with every option; 404 when it is not configured. */
  get(name: string): ServiceView {
    return describeService(this.catalog, name);
  }

  /** Creates `[service.<name>]`; answers the new service. */
  async create(user: string, body: CreateServiceBody): Promise<ServiceView> {
    checkSectionName('name', body.name);
    const template = this.catalog.registry.template(body.template);
    if (!template) throw gmsError(Errors.TEMPLATE_NOT_FOUND, { name: body.template });
    const options = initialOptions(template, body);
    await this.writer.change((document, current) => {
      if (current.services.has(body.name) || document.section(`service.${body.name}`)) {
        throw gmsError(Errors.ADMIN_SERVICE_EXISTS, { service: body.name });
      }
      for (const [option, value] of options) document.set(`service.${body.name}`, option, value);
    });
    await this.audit.record({
      user,
      action: 'service.create',
      target: `service.${body.name}`,
      details: { template: body.template, preset: body.preset, options: auditedOptions(Object.fromEntries(options)) },
    });
    return describeService(this.catalog, body.name);
  }

  /** Renames, sets and deletes options (in that order), all or nothing; answers the changed service. */
  async update(user: string, name: string, body: UpdateServiceBody): Promise<ServiceView> {
    const set = textValues('set', body.set ?? {});
    if (set.has('_service')) {
      throw gmsError(Errors.INVALID_PARAMETER, {
        field: 'set._service',
        rule: 'names the template and cannot be changed: create a new service to use another template',
      });
    }
    const renames = Object.entries(body.rename ?? {});
    for (const [from, to] of renames) checkOptionName(`rename.${from}`, to);
    await this.writer.change((document, current) => {
      const sectionName = `service.${name}`;
      const template = this.catalog.registry.template(this.section(current, name).get('_service') ?? '');
      const guard = (option: string, action: string) => refuseMandatory(template, name, option, action);
      for (const [from, to] of renames) {
        guard(from, 'renamed');
        if (document.section(sectionName)?.has(to)) {
          throw gmsError(Errors.ADMIN_OPTION_EXISTS, { service: name, option: to });
        }
        if (!document.rename(sectionName, from, to)) notConfigured(name, from);
      }
      for (const [option, value] of set) document.set(sectionName, option, value);
      for (const option of body.delete ?? []) {
        guard(option, 'removed');
        if (!document.delete(sectionName, option)) notConfigured(name, option);
      }
    });
    await this.audit.record({
      user,
      action: 'service.update',
      target: `service.${name}`,
      details: { set: auditedOptions(Object.fromEntries(set)), rename: body.rename, delete: body.delete },
    });
    return describeService(this.catalog, name);
  }

  /** Deletes `[service.<name>]`; live instances of it run until their TTL. */
  async remove(user: string, name: string): Promise<void> {
    const template = await this.writer.change((document, current) => {
      const section = this.section(current, name);
      document.removeSection(`service.${name}`);
      return section.get('_service');
    });
    await this.audit.record({ user, action: 'service.delete', target: `service.${name}`, details: { template } });
  }

  private section(current: EngineConfig, name: string) {
    const section = current.services.get(name);
    if (!section) throw gmsError(Errors.SERVICE_NOT_CONFIGURED, { service: name });
    return section;
  }
}

/**
 * The options of a new service, in the order they are written: the engine's own, then the template's mandatory
 * options with their defaults, the preset's values and the given ones in template order, then custom options.
 */
function initialOptions(template: TemplateRecord, body: CreateServiceBody): Map<string, string> {
  const preset = presetValues(template, body.preset);
  const given = textValues('options', body.options ?? {});
  if (given.has('_service')) {
    throw gmsError(Errors.INVALID_PARAMETER, { field: 'options._service', rule: 'is set by the field template' });
  }
  const values = new Map<string, string>([
    ['_type', BUILTIN_TYPE],
    ['_service', template.manifest.name],
  ]);
  const described = describeTemplate(template, []).options;
  for (const option of described) {
    const value =
      given.get(option.name) ?? preset.get(option.name) ?? (option.mandatory ? defaultText(option.default) : undefined);
    if (value !== undefined) values.set(option.name, value);
    else if (option.mandatory) {
      throw gmsError(Errors.MISSING_PARAMETER, {
        field: `options.${option.name}`,
        hint: `template ${template.manifest.name} requires it and has no default`,
      });
    }
  }
  for (const [option, value] of [...preset, ...given]) {
    if (!values.has(option) || option === '_type') values.set(option, value);
  }
  return values;
}

/** The values of the named preset (none when no preset is named); 400 when the template has no such preset. */
function presetValues(template: TemplateRecord, name: string | undefined): Map<string, string> {
  if (name === undefined) return new Map();
  const presets = template.manifest.presets ?? {};
  const preset = Object.hasOwn(presets, name) ? presets[name] : undefined;
  if (!preset) {
    throw gmsError(Errors.ADMIN_PRESET_NOT_FOUND, {
      template: template.manifest.name,
      preset: name,
      presets: Object.keys(presets).join(', ') || '(none)',
    });
  }
  return new Map(Object.entries(preset));
}

function defaultText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Option values as the text written to the file; names and values are checked. */
function textValues(field: string, values: Readonly<Record<string, OptionValue>>): Map<string, string> {
  return new Map(
    Object.entries(values).map(([option, value]) => {
      checkOptionName(`${field}.${option}`, option);
      return [option, optionText(`${field}.${option}`, value)];
    }),
  );
}

function refuseMandatory(template: TemplateRecord | undefined, service: string, option: string, action: string): void {
  const reason = mandatoryReason(template, option);
  if (reason) throw gmsError(Errors.ADMIN_OPTION_MANDATORY, { option, service, reason, action });
}

function notConfigured(service: string, option: string): never {
  throw gmsError(Errors.ADMIN_OPTION_NOT_FOUND, { service, option });
}
