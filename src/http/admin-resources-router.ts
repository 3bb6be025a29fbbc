/**
 * The write side of the resource-group admin API, behind Basic auth, JSON in and out, beside the read-only
 * `GET /genesys/1/admin/resources[/{group}]` of resources-router.ts.
 */
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { parseCreateResourceGroup, parseResourceNumbers, parseUpdateResourceGroup } from '../admin/admin-input.ts';
import type { ResourceAdmin } from '../admin/resource-admin.ts';
import { Errors, gmsError } from '../errors.ts';
import { adminUser, jsonOf } from './admin-request.ts';

/** Routes that change `[resource.<group>]` sections. */
export function adminResourcesRouter(resources: ResourceAdmin, auth: Middleware, json: Middleware): Router {
  const router = new Router({ prefix: '/genesys/1/admin/resources' });
  router.use(auth);
  router.post('/', json, async (ctx) => {
    ctx.body = await resources.create(adminUser(ctx), parseCreateResourceGroup(jsonOf(ctx)));
    ctx.status = 201;
  });
  router.patch('/:group', json, async (ctx) => {
    ctx.body = await resources.update(adminUser(ctx), ctx.params.group ?? '', parseUpdateResourceGroup(jsonOf(ctx)));
  });
  router.delete('/:group', async (ctx) => {
    const group = ctx.params.group ?? '';
    const { released } = await resources.deleteGroup(adminUser(ctx), group, { force: forceOf(ctx) });
    ctx.body = { name: group, deleted: true, released };
  });
  router.post('/:group/numbers', json, async (ctx) => {
    ctx.body = await resources.addNumbers(adminUser(ctx), ctx.params.group ?? '', parseResourceNumbers(jsonOf(ctx)));
  });
  router.delete('/:group/numbers/:entry', async (ctx) => {
    const { group = '', entry = '' } = ctx.params;
    ctx.body = await resources.removeEntry(adminUser(ctx), group, entry, { force: forceOf(ctx) });
  });
  return router;
}

/** `?force=true` releases the reservations in the way; absent or `false` refuses with 409 instead. */
function forceOf(ctx: Context): boolean {
  const { force } = ctx.query;
  if (force === undefined || force === 'false') return false;
  if (force === 'true') return true;
  throw gmsError(Errors.INVALID_PARAMETER, { field: 'force', rule: 'must be true or false' });
}
