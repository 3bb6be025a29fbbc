/** The Service API: Create, GET-style services, service-specific requests and delete (seed 004). */
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { Reply } from '../plugin-api.ts';
import type { ServiceDispatcher } from '../services/service-dispatcher.ts';
import { requestBody } from './body-parser.ts';

/** The `gms_user` header every GMS client sends (absent for anonymous calls). */
export function gmsUser(ctx: Context): string | undefined {
  return ctx.get('gms_user') || undefined;
}

/** Writes a plugin reply: JSON for objects and arrays, text for strings, nothing for undefined. */
export function sendReply(ctx: Context, reply: Reply): void {
  ctx.status = reply.status;
  ctx.body = reply.body === undefined ? '' : reply.body;
}

function queryOf(ctx: Context): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(ctx.query)) {
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) query[key] = last;
  }
  return query;
}

/** Routes of `/genesys/1/service`. */
export function serviceRouter(dispatcher: ServiceDispatcher, parseBody: Middleware): Router {
  const router = new Router({ prefix: '/genesys/1/service' });
  router.post('/:name', parseBody, async (ctx) => {
    sendReply(ctx, await dispatcher.create(ctx.params.name ?? '', requestBody(ctx), gmsUser(ctx)));
  });
  router.get('/:name', async (ctx) => {
    sendReply(ctx, await dispatcher.read(ctx.params.name ?? '', queryOf(ctx), gmsUser(ctx)));
  });
  router.post('/:id/:request', parseBody, async (ctx) => {
    sendReply(
      ctx,
      await dispatcher.request(ctx.params.id ?? '', ctx.params.request ?? '', requestBody(ctx), gmsUser(ctx)),
    );
  });
  router.delete('/:id', async (ctx) => {
    await dispatcher.delete(ctx.params.id ?? '');
    ctx.status = 200;
    ctx.body = { _id: ctx.params.id, deleted: true };
  });
  return router;
}
