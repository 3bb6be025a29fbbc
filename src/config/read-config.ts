/**
 * Reads the INI configuration into a frozen `EngineConfig`. It validates the engine's own sections here; service
 * sections are validated against their templates by the service registry, and both kinds of problems are reported
 * together by the caller.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createAjv, describeAjvErrors } from '../validation.ts';
import type { ConfigIssue } from './config-error.ts';
import { IniDocument } from './ini-document.ts';
import {
  type ServerOptions,
  type StorageOptions,
  serverOptionsSchema,
  storageOptionsSchema,
} from './server-options.ts';

/** Options of one section, in file order, as the strings the file holds. */
export type SectionOptions = ReadonlyMap<string, string>;

/** A configuration file read and checked, frozen: a live change builds a new one and swaps it. */
export interface EngineConfig {
  /** Absolute path of the file. */
  readonly file: string;
  /** The exact text read, so a writer can detect that the file changed meanwhile. */
  readonly text: string;
  /** The parsed document (for writers that keep comments). */
  readonly document: IniDocument;
  /** `[server]`, typed, defaults applied; folders resolved against the file's folder. */
  readonly server: Readonly<ServerOptions>;
  /** `[storage]`, typed, defaults applied; `path` resolved against the file's folder. */
  readonly storage: Readonly<StorageOptions>;
  /** `[service.<name>]` sections by service name. */
  readonly services: ReadonlyMap<string, SectionOptions>;
  /** `[resource.<group>]` sections by group name. */
  readonly resources: ReadonlyMap<string, SectionOptions>;
  /** `[pattern.<group>]` sections by group name. */
  readonly patterns: ReadonlyMap<string, SectionOptions>;
}

const ajv = createAjv();
const validateServer = ajv.compile(serverOptionsSchema);
const validateStorage = ajv.compile(storageOptionsSchema);

/** Reads and parses a configuration file; never throws for content problems, it returns them as issues. */
export async function readConfig(file: string): Promise<{ config: EngineConfig; issues: ConfigIssue[] }> {
  const absolute = path.resolve(file);
  const text = await readFile(absolute, 'utf8');
  return parseConfig(absolute, text);
}

/** Parses configuration text that was read from `file`. */
export function parseConfig(file: string, text: string): { config: EngineConfig; issues: ConfigIssue[] } {
  const displayName = path.basename(file);
  const { document, errors } = IniDocument.parse(text);
  const issues: ConfigIssue[] = errors.map((error) => ({
    file: displayName,
    section: `line ${error.line}`,
    option: '(syntax)',
    rule: error.message,
  }));
  const folder = path.dirname(file);
  const server = checkSection<ServerOptions>(document, 'server', validateServer, displayName, issues);
  const storage = checkSection<StorageOptions>(document, 'storage', validateStorage, displayName, issues);
  for (const key of ['templates_dir', 'plugins_dir', 'data_dir'] as const) {
    server[key] = path.resolve(folder, server[key]);
  }
  storage.path = path.resolve(folder, storage.path);
  const config: EngineConfig = Object.freeze({
    file,
    text,
    document,
    server: Object.freeze(server),
    storage: Object.freeze(storage),
    services: sectionsWithPrefix(document, 'service.'),
    resources: sectionsWithPrefix(document, 'resource.'),
    patterns: sectionsWithPrefix(document, 'pattern.'),
  });
  return { config, issues };
}

type Validator = ((data: unknown) => boolean) & { errors?: Parameters<typeof describeAjvErrors>[0] };

function checkSection<T>(
  document: IniDocument,
  name: string,
  validate: Validator,
  file: string,
  issues: ConfigIssue[],
): T {
  const values: Record<string, unknown> = Object.fromEntries(document.section(name) ?? []);
  if (!validate(values)) {
    for (const problem of describeAjvErrors(validate.errors)) {
      issues.push({ file, section: name, option: problem.option, rule: problem.rule });
    }
    // Drop the broken options and keep the rest (defaults filled in), so the caller still gets a complete object
    // and can check the other sections against it.
    const broken = new Set(describeAjvErrors(validate.errors).map((problem) => problem.option));
    const kept: Record<string, unknown> = Object.fromEntries(
      [...(document.section(name) ?? [])].filter(([option]) => !broken.has(option)),
    );
    validate(kept);
    return kept as T;
  }
  return values as T;
}

function sectionsWithPrefix(document: IniDocument, prefix: string): ReadonlyMap<string, SectionOptions> {
  const sections = new Map<string, SectionOptions>();
  for (const name of document.sectionNames()) {
    if (name.startsWith(prefix) && name.length > prefix.length) {
      sections.set(name.slice(prefix.length), document.section(name) ?? new Map());
    }
  }
  return sections;
}
