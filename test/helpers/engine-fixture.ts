/** Test fixture: a temporary folder with a configuration file, and an engine + Koa app started on it. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Koa from 'koa';
import { createApp } from '../../src/app.ts';
import { Engine } from '../../src/engine.ts';
import { createMemoryLogger } from '../../src/logger.ts';

/** The repository root (plugins/ lives there). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Admin credentials every fixture configures. */
export const ADMIN = { user: 'admin', password: 'secret' } as const;

/** A started engine, its app, its folder, and a cleanup. */
export interface EngineFixture {
  engine: Engine;
  app: Koa;
  folder: string;
  configFile: string;
  logger: ReturnType<typeof createMemoryLogger>;
  /** Closes the engine and removes the folder. */
  close(): Promise<void>;
}

/** Writes `[server]` (credentials, folders in the temp folder, plugins from the repo) plus `sections`. */
export function configText(folder: string, sections: string, server = ''): string {
  return [
    '[server]',
    `username = ${ADMIN.user}`,
    `password = ${ADMIN.password}`,
    // A test may bring its own plugin folder (e.g. with test plugins linked in) through `server`.
    server.includes('plugins_dir') ? '' : `plugins_dir = ${path.join(repoRoot, 'plugins')}`,
    `templates_dir = ${path.join(folder, 'service_templates')}`,
    `data_dir = ${path.join(folder, 'data')}`,
    server,
    '',
    sections,
  ].join('\n');
}

/** Makes a temporary folder. */
export function tempFolder(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'gms-engine-test-'));
}

/** Starts an engine on a fresh temporary configuration. */
export async function startEngine(sections: string, server = '', folder?: string): Promise<EngineFixture> {
  const dir = folder ?? (await tempFolder());
  const configFile = path.join(dir, 'gms.ini');
  await writeFile(configFile, configText(dir, sections, server));
  const logger = createMemoryLogger();
  const engine = await Engine.start({ configFile, logger });
  return {
    engine,
    app: createApp(engine),
    folder: dir,
    configFile,
    logger,
    close: async () => {
      await engine.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
