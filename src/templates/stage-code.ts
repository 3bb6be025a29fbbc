/**
 * The code of a zip, unpacked into its own fresh folder of the code folder and loaded from there. A staged plugin is
 * either committed by the loader or discarded, folder and all, so a refused upload leaves no code behind.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EngineServices, PluginHandler } from '../plugin-api.ts';
import { importPlugin } from './import-plugin.ts';
import type { ArchiveFiles } from './safe-zip.ts';

/** A plugin loaded from a zip's unpacked code, not yet registered. */
export interface StagedCode {
  /** The folder holding the unpacked files. */
  readonly folder: string;
  /** The plugin's handler, created by its factory. */
  readonly handler: PluginHandler;
}

/** What to stage. */
export interface StageRequest {
  /** Folder of unpacked code (one sub-folder per staged zip). */
  readonly codeDir: string;
  /** The template, for the folder's name. */
  readonly template: string;
  /** The plugin the code provides. */
  readonly pluginName: string;
  /** The handler module, relative to the archive's root. */
  readonly handlerFile: string;
  /** The archive's checked files. */
  readonly files: ArchiveFiles;
  /** What the plugin is handed. */
  readonly services: EngineServices;
}

/** Unpacks the files into a temporary folder, renames it to its final name, and loads the plugin from it. */
export async function stageCode(request: StageRequest): Promise<StagedCode> {
  // A new folder per staging: the module cache holds modules by URL, so a replaced version must not reuse a path.
  const id = `${request.template}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const temporary = path.join(request.codeDir, `.${id}.tmp`);
  const folder = path.join(request.codeDir, id);
  try {
    for (const [file, content] of request.files) {
      const target = path.join(temporary, file);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, content);
    }
    await rename(temporary, folder);
    const handler = await importPlugin(path.join(folder, request.handlerFile), request.pluginName, request.services);
    return { folder, handler };
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}

/** Closes a staged plugin that will not be committed and removes its folder. */
export async function discardCode(staged: StagedCode | undefined): Promise<void> {
  if (!staged) return;
  try {
    await staged.handler.close?.();
  } finally {
    await rm(staged.folder, { recursive: true, force: true });
  }
}

/** Empties the code folder at start-up: code is unpacked again from the zips, so older folders are leftovers. */
export async function clearCodeDir(codeDir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(codeDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const entry of entries) await rm(path.join(codeDir, entry), { recursive: true, force: true });
}
