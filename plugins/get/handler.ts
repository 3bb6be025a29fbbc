/**
 * The `get` service (seed 002, "Get Service"): a load-balancer health check. While the node is ONLINE it answers
 * `_online_code` with every option that has no leading underscore; while OFFLINE, `_offline_code`.
 */
import {
  type EngineServices,
  type PluginHandler,
  publicOptions,
  type ReadCall,
  type Reply,
} from '../../src/plugin-api.ts';

/** The get plugin: answers GET with the online or offline code of the node's status. */
export default function createGetPlugin(engine: EngineServices): PluginHandler {
  return {
    async read(call: ReadCall): Promise<Reply> {
      const { options } = call.service;
      if (engine.nodeStatus() === 'OFFLINE') {
        return engine.errors.configuredStatus(Number(options._offline_code), 'This node is OFFLINE');
      }
      return { status: Number(options._online_code), body: publicOptions(options) };
    },
  };
}
