/**
 * The one loader of templates and plugins, whatever their source: plugin folders and zips at start-up, zips uploaded
 * while running. Every source goes through the same checks; a change is staged, checked against the configured
 * services, and only then written and registered, so a refused template leaves nothing behind.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EngineServices, PluginHandler } from '../plugin-api.ts';
import { importPlugin } from './import-plugin.ts';
import { type CheckedManifest, readManifest } from './read-manifest.ts';
import { type ArchiveFiles, readArchive, UnsafeArchiveError } from './safe-zip.ts';
import { TemplateError } from './template-error.ts';
import type { PluginRecord, TemplateLookup, TemplateRecord, TemplateRegistry } from './template-registry.ts';

/** File names that make a zip "carry code". */
const CODE_FILE = /\.(js|mjs|cjs|ts|mts|cts)$/;
const MANIFEST_FILE = 'template.json';

/** What the loader needs from the engine. */
export interface TemplateLoaderOptions {
  /** Folder of plugin folders. */
  pluginsDir: string;
  /** Folder of template zips (read at start-up, written by uploads). */
  templatesDir: string;
  /** Folder where code of zips is unpacked. */
  codeDir: string;
  /** Whether zips may carry code (read at each install, so a live configuration change applies). */
  allowTemplateCode(): boolean;
  /** Engine services for a plugin. */
  servicesFor(pluginName: string): EngineServices;
  /** Problems the configured services would have if templates were looked up with `lookup`; empty when fine. */
  checkServices(lookup: TemplateLookup): string[];
}

/** Options of one zip installation. */
export interface InstallOptions {
  /** Replace an installed template of the same name. */
  replace: boolean;
  /** Write the zip to the templates folder (uploads); false for zips already there (start-up). */
  persist: boolean;
  /** Where the zip came from, for messages. */
  source: string;
}

/** Loads, installs and removes templates. */
export class TemplateLoader {
  constructor(
    private readonly registry: TemplateRegistry,
    private readonly options: TemplateLoaderOptions,
  ) {}

  /** Loads every plugin folder, then every zip of the templates folder; returns the failures (each already named). */
  async loadAll(): Promise<TemplateError[]> {
    const failures: TemplateError[] = [];
    for (const folder of await listEntries(this.options.pluginsDir, (name) => !name.startsWith('.'))) {
      await this.loadPluginFolder(path.join(this.options.pluginsDir, folder)).catch((error: unknown) =>
        failures.push(asTemplateError(error, folder)),
      );
    }
    for (const file of await listEntries(this.options.templatesDir, (name) => name.endsWith('.zip'))) {
      const fullPath = path.join(this.options.templatesDir, file);
      await readFile(fullPath)
        .then((data) => this.installZip(data, { replace: false, persist: false, source: fullPath }))
        .catch((error: unknown) => failures.push(asTemplateError(error, file)));
    }
    return failures;
  }

  /** Loads one plugin folder: its `template.json` and its handler. */
  async loadPluginFolder(folder: string): Promise<TemplateRecord> {
    const checked = readManifest(await readFile(path.join(folder, MANIFEST_FILE), 'utf8'), folder);
    const { manifest } = checked;
    if (!manifest.handler) {
      throw new TemplateError(
        'invalid-manifest',
        manifest.name,
        `plugin folder ${folder}: template.json must name its handler`,
      );
    }
    if (this.registry.template(manifest.name)) {
      throw new TemplateError(
        'duplicate',
        manifest.name,
        `template ${manifest.name} from ${folder} is already installed`,
      );
    }
    const handler = await importPlugin(
      path.join(folder, manifest.handler),
      manifest.service,
      this.options.servicesFor(manifest.service),
    );
    const record: TemplateRecord = { ...checked, origin: { kind: 'folder', folder } };
    this.registry.put(record, { name: manifest.service, handler, template: manifest.name });
    return record;
  }

  /** Installs a template zip; throws TemplateError with the reason and changes nothing when refused. */
  async installZip(data: Buffer, options: InstallOptions): Promise<TemplateRecord> {
    const files = readFiles(data, options.source);
    const checked = manifestOf(files, options.source);
    const { manifest } = checked;
    const codeFiles = [...files.keys()].filter((name) => CODE_FILE.test(name));
    this.checkReplacement(manifest.name, options.replace);
    const existingPlugin = this.registry.plugin(manifest.service);
    if (codeFiles.length > 0) {
      if (!this.options.allowTemplateCode()) {
        throw new TemplateError('code-not-allowed', manifest.name, codeFiles[0] ?? '');
      }
      if (!manifest.handler || !files.has(manifest.handler)) {
        throw new TemplateError(
          'invalid-manifest',
          manifest.name,
          `template ${manifest.name} carries code but its manifest names no handler file of the archive`,
        );
      }
      if (existingPlugin && existingPlugin.template !== manifest.name) {
        throw new TemplateError(
          'duplicate',
          manifest.name,
          `plugin ${manifest.service} is already provided by template ${existingPlugin.template}`,
        );
      }
    } else if (!existingPlugin || existingPlugin.template === manifest.name) {
      throw new TemplateError(
        'plugin-missing',
        manifest.name,
        `template ${manifest.name} uses plugin ${manifest.service}, which is not installed (and the archive carries no handler code)`,
      );
    }
    const staged =
      codeFiles.length > 0
        ? await this.stageCode(manifest.name, manifest.service, manifest.handler ?? '', files)
        : undefined;
    const zipFile = path.join(this.options.templatesDir, `${manifest.name}.zip`);
    const record: TemplateRecord = {
      ...checked,
      origin: { kind: 'zip', file: options.persist ? zipFile : options.source, codeFolder: staged?.folder },
    };
    const problems = this.options.checkServices(this.registry.lookupWith(record));
    if (problems.length > 0) {
      await discard(staged);
      throw new TemplateError(
        'invalid-manifest',
        manifest.name,
        `installing ${manifest.name} would break configured services: ${problems.join('; ')}`,
      );
    }
    if (options.persist) {
      await mkdir(this.options.templatesDir, { recursive: true })
        .then(() => writeAtomically(zipFile, data))
        .catch(async (error: unknown) => {
          await discard(staged);
          throw error;
        });
    }
    await this.commit(record, staged && { name: manifest.service, handler: staged.handler, template: manifest.name });
    return record;
  }

  /** Removes a template (the caller checked that no service uses it); deletes its zip and unpacked code. */
  async remove(name: string): Promise<void> {
    const record = this.registry.template(name);
    if (!record) throw new TemplateError('plugin-missing', name, `template ${name} is not installed`);
    if (record.origin.kind === 'folder') throw new TemplateError('builtin', name, record.origin.folder);
    const removed = this.registry.remove(name);
    await removed.plugin?.handler.close?.();
    await rm(record.origin.file, { force: true });
    if (record.origin.codeFolder) await rm(record.origin.codeFolder, { recursive: true, force: true });
  }

  /** Closes every plugin, in reverse order of loading. */
  async closeAll(): Promise<void> {
    for (const plugin of this.registry.listPlugins().reverse()) await plugin.handler.close?.();
  }

  private checkReplacement(name: string, replace: boolean): void {
    const existing = this.registry.template(name);
    if (!existing) return;
    if (existing.origin.kind === 'folder') throw new TemplateError('builtin', name, existing.origin.folder);
    if (!replace) throw new TemplateError('duplicate', name, `template ${name} is already installed`);
  }

  /** Unpacks code into a fresh folder (temporary name, then renamed) and loads the plugin from it. */
  private async stageCode(
    name: string,
    pluginName: string,
    handlerFile: string,
    files: ArchiveFiles,
  ): Promise<{ folder: string; handler: PluginHandler }> {
    const id = `${name}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    const temporary = path.join(this.options.codeDir, `.${id}.tmp`);
    const folder = path.join(this.options.codeDir, id);
    try {
      for (const [file, content] of files) {
        const target = path.join(temporary, file);
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, content);
      }
      await rename(temporary, folder);
      const handler = await importPlugin(
        path.join(folder, handlerFile),
        pluginName,
        this.options.servicesFor(pluginName),
      );
      return { folder, handler };
    } catch (error) {
      await rm(temporary, { recursive: true, force: true });
      await rm(folder, { recursive: true, force: true });
      throw error;
    }
  }

  private async commit(record: TemplateRecord, plugin: PluginRecord | undefined): Promise<void> {
    const previous = this.registry.template(record.manifest.name);
    const previousPlugin = plugin ? this.registry.plugin(plugin.name) : undefined;
    this.registry.put(record, plugin);
    if (previous?.origin.kind === 'zip') {
      if (record.origin.kind === 'zip' && previous.origin.file !== record.origin.file)
        await rm(previous.origin.file, { force: true });
      if (previous.origin.codeFolder) await rm(previous.origin.codeFolder, { recursive: true, force: true });
    }
    if (previousPlugin && previousPlugin.handler !== plugin?.handler) await previousPlugin.handler.close?.();
  }
}

function readFiles(data: Buffer, source: string): ArchiveFiles {
  try {
    return readArchive(data);
  } catch (error) {
    if (error instanceof UnsafeArchiveError) throw new TemplateError('invalid-archive', source, error.message);
    throw error;
  }
}

function manifestOf(files: ArchiveFiles, source: string): CheckedManifest {
  const manifest = files.get(MANIFEST_FILE);
  if (!manifest) throw new TemplateError('invalid-manifest', source, `the archive has no ${MANIFEST_FILE} at its root`);
  return readManifest(manifest.toString('utf8'), source);
}

async function discard(staged: { folder: string; handler: PluginHandler } | undefined): Promise<void> {
  if (!staged) return;
  await staged.handler.close?.();
  await rm(staged.folder, { recursive: true, force: true });
}

async function writeAtomically(file: string, data: Buffer): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, file);
}

async function listEntries(folder: string, keep: (name: string) => boolean): Promise<string[]> {
  try {
    return (await readdir(folder)).filter(keep).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

function asTemplateError(error: unknown, subject: string): TemplateError {
  if (error instanceof TemplateError) return error;
  return new TemplateError('plugin-broken', subject, `${subject}: ${(error as Error).message}`);
}
