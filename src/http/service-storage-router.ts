/**
 * Service-scoped storage (`/genesys/1/service/{id}/storage...`): the user data of a live service instance. It must
 * be registered before the service router, whose `POST /genesys/1/service/{id}/{request}` would take
 * `POST .../storage` as a service-specific request named `storage`.
 */
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { ServiceData } from '../services/service-data.ts';
import { requestBody } from './body-parser.ts';
import { sendStoredValue } from './stored-value-reply.ts';

const BASE = '/genesys/1/service/:id/storage';

function param(ctx: Context, name: string): string {
  return ctx.params[name] ?? '';
}

/** Routes of `/genesys/1/service/{id}/storage`. */
export function serviceStorageRouter(serviceData: ServiceData, parseBody: Middleware): Router {
  const router = new Router();
  router.get(BASE, async (ctx) => {
    ctx.body = await serviceData.fields(param(ctx, 'id'));
  });
  router.post(BASE, parseBody, async (ctx) => {
    const id = param(ctx, 'id');
    ctx.body = { _id: id, _data_id: await serviceData.update(id, requestBody(ctx)) };
  });
  router.get(`${BASE}/binary/:key`, async (ctx) => {
    sendStoredValue(ctx, await serviceData.readKey(param(ctx, 'id'), param(ctx, 'key')));
  });
  router.get(`${BASE}/:key`, async (ctx) => {
    sendStoredValue(ctx, await serviceData.readKey(param(ctx, 'id'), param(ctx, 'key')));
  });
  router.delete(`${BASE}/:key`, async (ctx) => {
    const id = param(ctx, 'id');
    const key = param(ctx, 'key');
    await serviceData.deleteKey(id, key);
    ctx.body = { _id: id, key, deleted: true };
  });
  return router;
}
