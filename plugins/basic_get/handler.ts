/**
 * The `basic_get` service (seed 002, "Basic Get Service"): answers the HTTP code of option `result`; with 200 the
 * body is the JSON of the options without a leading underscore, `result` first as the seed's example shows.
 */
import {
  type EngineServices,
  type PluginHandler,
  publicOptions,
  type ReadCall,
  type Reply,
} from '../../src/plugin-api.ts';

/** The basic_get plugin: answers GET with the configured `result` code and the public options. */
export default function createBasicGetPlugin(engine: EngineServices): PluginHandler {
  return {
    async read(call: ReadCall): Promise<Reply> {
      const { options } = call.service;
      const status = Number(options.result);
      if (status !== 200) {
        return engine.errors.configuredStatus(
          status,
          String(options.error_code ?? `Service ${call.service.name} answers ${status}`),
        );
      }
      return { status, body: { result: options.result, ...publicOptions(options) } };
    },
  };
}
