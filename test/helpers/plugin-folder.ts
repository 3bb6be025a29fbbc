/** Builds a plugins folder holding the repository's plugins plus test plugins, linked (not copied). */
import { mkdir, readdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from './engine-fixture.ts';

/** The test plugins folder. */
export const testPluginsRoot = path.join(repoRoot, 'test', 'fixtures', 'plugins');

/** Creates `<folder>/plugins` with links to every repository plugin and the named test plugins; returns its path. */
export async function pluginFolderWith(folder: string, testPlugins: string[]): Promise<string> {
  const target = path.join(folder, 'plugins');
  await mkdir(target, { recursive: true });
  const repoPlugins = path.join(repoRoot, 'plugins');
  for (const name of await readdir(repoPlugins)) {
    await symlink(path.join(repoPlugins, name), path.join(target, name), 'dir');
  }
  for (const name of testPlugins) await symlink(path.join(testPluginsRoot, name), path.join(target, name), 'dir');
  return target;
}
