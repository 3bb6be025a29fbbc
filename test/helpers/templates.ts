/** Helpers of the template tests: the fixture zips, uploads through the admin API, and what templates leave behind. */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { ADMIN, configText, type EngineFixture, repoRoot } from './engine-fixture.ts';

/** Folder of the committed template zips (built by make-fixtures.ts). */
export const templateFixtures = path.join(repoRoot, 'test', 'fixtures', 'templates');

/** The bytes of a fixture zip. */
export function fixtureZip(file: string): Promise<Buffer> {
  return readFile(path.join(templateFixtures, file));
}

/** Uploads a fixture zip as `curl -F template=@<file>` does, with the admin credentials. */
export async function uploadTemplate(
  fixture: EngineFixture,
  file: string,
  options: { replace?: boolean } = {},
): Promise<request.Response> {
  const query = options.replace ? '?replace=true' : '';
  return request(fixture.app.callback())
    .post(`/genesys/1/admin/templates${query}`)
    .auth(ADMIN.user, ADMIN.password)
    .attach('template', await fixtureZip(file), file);
}

/** Rewrites the fixture's configuration file with `sections` (and `server` options) and applies it as a live change. */
export async function reconfigure(
  fixture: EngineFixture,
  options: { sections: string; server?: string },
): Promise<void> {
  await writeFile(fixture.configFile, configText(fixture.folder, options.sections, options.server));
  const result = await fixture.engine.reload();
  if (!result.applied) throw new Error(`configuration refused: ${JSON.stringify(result.issues)}`);
}

/** Where an engine keeps the code it unpacks from zips. */
export function codeDir(fixture: EngineFixture): string {
  return path.join(fixture.engine.config.server.data_dir, 'template-code');
}

/** What templates left on disk and in the registry: compared before and after a refused change. */
export interface TemplateState {
  /** Files of the templates folder, with their sizes. */
  readonly templatesDir: string[];
  /** Files and folders under the code folder, with file sizes. */
  readonly codeDir: string[];
  /** Installed templates (name@version) and plugins (name<-template). */
  readonly registry: string[];
}

/** Takes the state of an engine's templates. */
export async function templateState(fixture: EngineFixture): Promise<TemplateState> {
  const { registry } = fixture.engine;
  return {
    templatesDir: await listTree(fixture.engine.config.server.templates_dir),
    codeDir: await listTree(codeDir(fixture)),
    registry: [
      ...registry.list().map((record) => `${record.manifest.name}@${record.manifest.version}`),
      ...registry.listPlugins().map((plugin) => `${plugin.name}<-${plugin.template}`),
    ],
  };
}

/** Every path under `folder` (a missing folder is empty), files with their size. */
export async function listTree(folder: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(folder, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const entries = await Promise.all(
    names.map(async (name) => {
      const info = await stat(path.join(folder, name));
      return info.isDirectory() ? `${name}/` : `${name} (${info.size} bytes)`;
    }),
  );
  return entries.sort();
}
