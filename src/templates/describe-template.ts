/** The JSON description of a template, as the admin API answers it and the Service Management UI shows it. */
import type { OptionMetadata } from './manifest.ts';
import type { TemplateRecord } from './template-registry.ts';

/** One option with its schema facts and UI metadata. */
export interface OptionDescription extends OptionMetadata {
  name: string;
  type?: unknown;
  default?: unknown;
  enum?: unknown;
}

/** A template as the admin API describes it. */
export interface TemplateDescription {
  name: string;
  version: string;
  description: string;
  engine: string;
  plugin: string;
  source: 'folder' | 'zip';
  has_code: boolean;
  options: OptionDescription[];
  presets: Record<string, Record<string, string>>;
  used_by: string[];
}

/** Describes a template; `usedBy` lists the services configured on it. */
export function describeTemplate(record: TemplateRecord, usedBy: string[]): TemplateDescription {
  const { manifest } = record;
  const required = new Set(manifest.options.required ?? []);
  const options = Object.entries(manifest.options.properties).map(([name, schema]) => ({
    name,
    type: schema.type,
    default: schema.default,
    enum: schema.enum,
    ...manifest.metadata?.[name],
    mandatory: manifest.metadata?.[name]?.mandatory ?? required.has(name),
  }));
  return {
    name: manifest.name,
    version: manifest.version,
    description: manifest.description,
    engine: manifest.engine,
    plugin: manifest.service,
    source: record.origin.kind,
    has_code: record.origin.kind === 'folder' || record.origin.codeFolder !== undefined,
    options,
    presets: manifest.presets ?? {},
    used_by: usedBy,
  };
}
