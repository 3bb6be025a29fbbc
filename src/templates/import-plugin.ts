/** Imports a plugin's handler module and creates its handler, within a time limit. */
import { pathToFileURL } from 'node:url';
import type { EngineServices, PluginFactory, PluginHandler } from '../plugin-api.ts';
import { TemplateError } from './template-error.ts';

/** How long a plugin may take to initialise before it is declared broken. */
const INIT_TIMEOUT_MS = 5000;

/** Imports `file`, checks that its default export is a factory, and runs it. */
export async function importPlugin(file: string, pluginName: string, services: EngineServices): Promise<PluginHandler> {
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (error) {
    throw new TemplateError(
      'plugin-broken',
      pluginName,
      `plugin ${pluginName}: its handler cannot be loaded (${(error as Error).message})`,
    );
  }
  if (typeof module.default !== 'function') {
    throw new TemplateError(
      'plugin-broken',
      pluginName,
      `plugin ${pluginName}: its handler module must export a factory function as default export`,
    );
  }
  const factory = module.default as PluginFactory;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new TemplateError(
            'plugin-broken',
            pluginName,
            `plugin ${pluginName}: init took longer than ${INIT_TIMEOUT_MS} ms`,
          ),
        ),
      INIT_TIMEOUT_MS,
    );
  });
  try {
    const handler = await Promise.race([Promise.resolve().then(() => factory(services)), timeout]);
    if (handler === null || typeof handler !== 'object') {
      throw new TemplateError('plugin-broken', pluginName, `plugin ${pluginName}: its factory returned no handler`);
    }
    return handler;
  } catch (error) {
    if (error instanceof TemplateError) throw error;
    throw new TemplateError(
      'plugin-broken',
      pluginName,
      `plugin ${pluginName}: init failed (${(error as Error).message})`,
    );
  } finally {
    clearTimeout(timer);
  }
}
