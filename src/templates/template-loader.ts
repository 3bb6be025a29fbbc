/**
 * The one loader of templates and plugins, whatever their source: plugin folders and zips at start-up, zips uploaded
 * while running. Every source goes through the same checks; a change is staged, checked against the configured
 * services, and only then written and registered, so a refused template leaves nothing behind.
 */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { EngineServices } from '../plugin-api.ts';
import { importPlugin } from './import-plugin.ts';
import type { TemplateManifest } from './manifest.ts';
import { readManifest } from './read-manifest.ts';
import { MANIFEST_FILE, readTemplateZip } from './read-template-zip.ts';
import type { ArchiveFiles } from './safe-zip.ts';
import { clearCodeDir, discardCode, type StagedCode, stageCode } from './stage-code.ts';
import { TemplateError } from './template-error.ts';
import type {
  PluginRecord,
  RegistryChange,
  RegistryView,
  TemplateRecord,
  TemplateRegistry,
} from './template-registry.ts';

/** What the loader needs from the engine. */
export interface TemplateLoaderOptions {
  /** Folder of plugin folders. */
  pluginsDir: string;
  /** Folder of template zips (read at start-up, written by uploads). */
  templatesDir: string;
  /** Folder where code of zips is unpacked; emptied at start-up. */
  codeDir: string;
  /** Whether zips may carry code (read at each install, so a live configuration change applies). */
  allowTemplateCode(): boolean;
  /** Engine services for a plugin. */
  servicesFor(pluginName: string): EngineServices;
  /** Problems the configured services would have with templates and plugins looked up in `view`; empty when fine. */
  checkServices(view: RegistryView): string[];
}

/** Options of one zip installation. */
export interface InstallOptions {
  /** Replace an installed template of the same name. */
  replace: boolean;
  /**
   * `upload`: the zip is checked against the configured services, then written to the templates folder.
   * `startup`: the zip is already in the templates folder; the engine checks every service once all are loaded.
   */
  kind: 'upload' | 'startup';
  /** Where the zip came from (its file at start-up, the uploaded file's name otherwise), for messages. */
  source: string;
}

/** Loads, installs and removes templates. */
export class TemplateLoader {
  /** Installs and removals run one at a time: each checks the registry that it then changes. */
  private queue: Promise<unknown> = Promise.resolve();

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
    await clearCodeDir(this.options.codeDir);
    failures.push(...(await this.loadZips()));
    return failures;
  }

  /** Loads one plugin folder: its `template.json` and its handler. */
  async loadPluginFolder(folder: string): Promise<TemplateRecord> {
    const checked = readManifest(await readPluginManifest(folder), folder);
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
    const owner = this.registry.plugin(manifest.service);
    if (owner) throw pluginTaken(manifest, owner.template);
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
  installZip(data: Buffer, options: InstallOptions): Promise<TemplateRecord> {
    return this.exclusive(() => this.install(data, options));
  }

  /** Removes a zip template, its file and its unpacked code; refused while services or templates depend on it. */
  remove(name: string): Promise<void> {
    return this.exclusive(() => this.uninstall(name));
  }

  /** Closes every plugin, in reverse order of loading. */
  async closeAll(): Promise<void> {
    for (const plugin of this.registry.listPlugins().reverse()) await plugin.handler.close?.();
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Zips may reuse a plugin that another zip brings, so one refused for a missing plugin is retried after the rest. */
  private async loadZips(): Promise<TemplateError[]> {
    const failures = new Map<string, TemplateError>();
    let pending = await listEntries(this.options.templatesDir, (name) => name.endsWith('.zip'));
    while (pending.length > 0) {
      const missingPlugin: string[] = [];
      for (const file of pending) {
        const error = await this.loadZipFile(file);
        if (error) failures.set(file, error);
        else failures.delete(file);
        if (error?.failure === 'plugin-missing') missingPlugin.push(file);
      }
      if (missingPlugin.length === pending.length) break;
      pending = missingPlugin;
    }
    return [...failures.values()];
  }

  private async loadZipFile(file: string): Promise<TemplateError | undefined> {
    const source = path.join(this.options.templatesDir, file);
    try {
      await this.install(await readFile(source), { replace: false, kind: 'startup', source });
      return undefined;
    } catch (error) {
      // The file is what an administrator acts on, whatever the template inside is named.
      const failure = asTemplateError(error, file);
      return new TemplateError(failure.failure, file, failure.message, failure.params);
    }
  }

  private async install(data: Buffer, options: InstallOptions): Promise<TemplateRecord> {
    const { files, code, ...checked } = readTemplateZip(data, options.source);
    const { manifest } = checked;
    this.checkReplacement(manifest.name, options.replace);
    if (code.length > 0) this.checkCode(manifest, files, code);
    else this.checkPluginReuse(manifest);
    this.checkDroppedPlugin(manifest, { bringsPlugin: code.length > 0 });
    const staged = code.length > 0 ? await this.stage(manifest, files) : undefined;
    const upload = options.kind === 'upload';
    const zipFile = upload ? this.zipFileFor(manifest.name) : options.source;
    const record: TemplateRecord = { ...checked, origin: { kind: 'zip', file: zipFile, codeFolder: staged?.folder } };
    const plugin = staged && { name: manifest.service, handler: staged.handler, template: manifest.name };
    if (upload) {
      try {
        const previousPlugin = this.registry.pluginOf(manifest.name)?.name;
        this.checkServices(manifest.name, { template: record, plugin, removePlugin: previousPlugin });
        await mkdir(path.dirname(zipFile), { recursive: true });
        // Temporary file, fsync, rename: a crash never leaves half a zip where the next start-up would read it.
        await writeFileAtomic(zipFile, data, { fsync: true });
      } catch (error) {
        await discardCode(staged);
        throw error;
      }
    }
    await this.commit(record, plugin);
    return record;
  }

  private async uninstall(name: string): Promise<void> {
    const record = this.registry.template(name);
    if (!record) throw new TemplateError('not-installed', name, `template ${name} is not installed`);
    if (record.origin.kind === 'folder') throw this.builtin(name, record.origin.folder);
    const plugin = this.registry.pluginOf(name);
    if (plugin) this.checkPluginUnused(name, plugin.name);
    this.checkServices(name, { removeTemplate: name, removePlugin: plugin?.name });
    this.registry.remove(name);
    if (plugin) await this.closePlugin(plugin);
    await rm(record.origin.file, { force: true });
    if (record.origin.codeFolder) await rm(record.origin.codeFolder, { recursive: true, force: true });
  }

  private checkReplacement(name: string, replace: boolean): void {
    const existing = this.registry.template(name);
    if (!existing) return;
    if (existing.origin.kind === 'folder') throw this.builtin(name, existing.origin.folder);
    if (!replace) {
      throw new TemplateError('duplicate', name, `template ${name} is already installed`);
    }
  }

  /** A zip with code must be allowed to carry it, name its handler, and bring a plugin no other template brings. */
  private checkCode(manifest: TemplateManifest, files: ArchiveFiles, code: readonly string[]): void {
    if (!this.options.allowTemplateCode()) {
      throw new TemplateError(
        'code-not-allowed',
        manifest.name,
        `template ${manifest.name} carries handler code (${code[0]}) and [server] allow_template_code is false; ` +
          'set allow_template_code = true to load code',
        { file: code[0] ?? '' },
      );
    }
    if (!manifest.handler || !files.has(manifest.handler)) {
      throw new TemplateError(
        'invalid-manifest',
        manifest.name,
        `template ${manifest.name} carries code but its manifest names no handler file at the archive's root`,
      );
    }
    const owner = this.registry.plugin(manifest.service);
    if (owner && owner.template !== manifest.name) throw pluginTaken(manifest, owner.template);
  }

  /** A zip without code reuses an installed plugin, which must not be one its own installed version brings. */
  private checkPluginReuse(manifest: TemplateManifest): void {
    if (manifest.handler) {
      throw new TemplateError(
        'invalid-manifest',
        manifest.name,
        `template ${manifest.name} names handler ${manifest.handler}, but the archive carries no code`,
      );
    }
    const plugin = this.registry.plugin(manifest.service);
    if (!plugin) {
      throw new TemplateError(
        'plugin-missing',
        manifest.name,
        `template ${manifest.name} uses plugin ${manifest.service}, which is not installed (and the archive carries no handler code)`,
      );
    }
    if (plugin.template === manifest.name) {
      throw new TemplateError(
        'plugin-missing',
        manifest.name,
        `template ${manifest.name} uses plugin ${manifest.service}, which only its installed version brings: ` +
          'the replacement must carry the handler code too',
      );
    }
  }

  /** A replacement that drops the plugin its installed version brought must not strand templates that use it. */
  private checkDroppedPlugin(manifest: TemplateManifest, options: { bringsPlugin: boolean }): void {
    const previous = this.registry.pluginOf(manifest.name);
    if (!previous || (options.bringsPlugin && previous.name === manifest.service)) return;
    this.checkPluginUnused(manifest.name, previous.name);
  }

  private checkPluginUnused(name: string, plugin: string): void {
    const users = this.registry.usersOfPlugin(plugin, name);
    if (users.length === 0) return;
    throw new TemplateError(
      'plugin-in-use',
      name,
      `template ${name} brings plugin ${plugin}, which template(s) ${users.join(', ')} use`,
      { plugin, templates: users.join(', ') },
    );
  }

  private checkServices(name: string, change: RegistryChange): void {
    const problems = this.options.checkServices(this.registry.view(change));
    if (problems.length === 0) return;
    throw new TemplateError(
      'breaks-services',
      name,
      `the change of template ${name} would make configured services invalid: ${problems.join('; ')}`,
      { detail: problems.join('; ') },
    );
  }

  private builtin(name: string, folder: string): TemplateError {
    const shown = path.join(path.basename(path.dirname(folder)), path.basename(folder));
    return new TemplateError(
      'builtin',
      name,
      `template ${name} comes from the plugin folder ${shown} and cannot be replaced or deleted by a zip`,
      { folder: shown },
    );
  }

  /** `<name>.zip`, unless that file holds another template (a zip named otherwise at start-up): then `<name>-2.zip`... */
  private zipFileFor(name: string): string {
    const taken = new Set(
      this.registry
        .list()
        .flatMap((record) =>
          record.origin.kind === 'zip' && record.manifest.name !== name ? [record.origin.file] : [],
        ),
    );
    for (let copy = 1; ; copy += 1) {
      const file = path.join(this.options.templatesDir, copy === 1 ? `${name}.zip` : `${name}-${copy}.zip`);
      if (!taken.has(file)) return file;
    }
  }

  private stage(manifest: TemplateManifest, files: ArchiveFiles): Promise<StagedCode> {
    return stageCode({
      codeDir: this.options.codeDir,
      template: manifest.name,
      pluginName: manifest.service,
      handlerFile: manifest.handler ?? '',
      files,
      services: this.options.servicesFor(manifest.service),
    });
  }

  /** Swaps the registry entries at once, then removes what the previous version left (file, code, plugin). */
  private async commit(record: TemplateRecord, plugin: PluginRecord | undefined): Promise<void> {
    const previous = this.registry.remove(record.manifest.name);
    this.registry.put(record, plugin);
    const old = previous.template?.origin;
    if (old?.kind === 'zip') {
      if (record.origin.kind === 'zip' && old.file !== record.origin.file) await rm(old.file, { force: true });
      if (old.codeFolder) await rm(old.codeFolder, { recursive: true, force: true });
    }
    if (previous.plugin) await this.closePlugin(previous.plugin);
  }

  /** Closes a plugin that is no longer registered; its failure is logged, since the change is already made. */
  private async closePlugin(plugin: PluginRecord): Promise<void> {
    try {
      await plugin.handler.close?.();
    } catch (error) {
      this.options.servicesFor(plugin.name).log.warn('plugin close failed', { error: (error as Error).message });
    }
  }
}

function pluginTaken(manifest: TemplateManifest, owner: string): TemplateError {
  return new TemplateError(
    'plugin-taken',
    manifest.name,
    `template ${manifest.name} brings plugin ${manifest.service}, which template ${owner} already provides`,
    { plugin: manifest.service, owner },
  );
}

async function readPluginManifest(folder: string): Promise<string> {
  try {
    return await readFile(path.join(folder, MANIFEST_FILE), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
    throw new TemplateError('invalid-manifest', folder, `plugin folder ${folder} has no ${MANIFEST_FILE}`);
  }
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
