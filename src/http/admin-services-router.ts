/** The admin API of configured services (`[service.<name>]`), behind Basic auth; JSON in and out. */
import Router from '@koa/router';
import type { Middleware } from 'koa';
import { parseCreateService, parseUpdateService } from '../admin/admin-input.ts';
import type { ServiceAdmin } from '../admin/service-admin.ts';
import { adminUser, jsonOf } from './admin-request.ts';

/** Routes of `/genesys/1/admin/services`. */
export function adminServicesRouter(services: ServiceAdmin, auth: Middleware, json: Middleware): Router {
  const router = new Router({ prefix: '/genesys/1/admin/services' });
  router.use(auth);
  router.get('/', (ctx) => {
    ctx.body = services.list();
  });
  router.get('/:name', (ctx) => {
    ctx.body = services.get(ctx.params.name ?? '');
  });
  router.post('/', json, async (ctx) => {
    ctx.body = await services.create(adminUser(ctx), parseCreateService(jsonOf(ctx)));
    ctx.status = 201;
  });
  router.patch('/:name', json, async (ctx) => {
    ctx.body = await services.update(adminUser(ctx), ctx.params.name ?? '', parseUpdateService(jsonOf(ctx)));
  });
  router.delete('/:name', async (ctx) => {
    await services.remove(adminUser(ctx), ctx.params.name ?? '');
    ctx.body = { name: ctx.params.name, deleted: true };
  });
  return router;
}
