/** The node API: status for load balancers, and changestatus behind Basic auth (seed 002, "Get Service"). */
import Router from '@koa/router';
import type { Middleware } from 'koa';
import { adminApi } from '../admin/admin-api.ts';
import type { Engine } from '../engine.ts';
import { Errors, gmsError } from '../errors.ts';

/** Routes of `/genesys/1/admin/node`. */
export function nodeRouter(engine: Engine, auth: Middleware): Router {
  const router = new Router({ prefix: '/genesys/1/admin/node' });
  router.get('/status', (ctx) => {
    ctx.type = 'text/plain';
    ctx.body = engine.node.status;
  });
  router.post('/changestatus/:status', auth, async (ctx) => {
    const status = (ctx.params.status ?? '').toUpperCase();
    if (status === 'ONLINE' || status === 'OFFLINE') {
      engine.node.set(status);
      engine.log.info('node status changed', { status, by: ctx.state.user });
    } else if (status === 'SHUTDOWN') {
      engine.log.info('shutdown requested', { by: ctx.state.user });
      // Answer first: the shutdown waits for in-flight requests, this one included.
      setImmediate(() => engine.requestShutdown());
    } else {
      throw gmsError(Errors.INVALID_PARAMETER, { field: 'status', rule: 'must be ONLINE, OFFLINE or SHUTDOWN' });
    }
    await adminApi(engine).audit.record({
      user: String(ctx.state.user),
      action: 'node.changestatus',
      target: 'node',
      details: { status },
    });
    ctx.type = 'text/plain';
    ctx.body = status;
  });
  return router;
}
