/**
 * The Storage API (`/genesys/1/storage`): store key/values and files for a ttl, update, read, read files as bytes,
 * delete; custom ids bound to the caller's `gms_user`. The logic lives in UserDataStore; this file maps paths to it.
 */
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { Engine } from '../engine.ts';
import { Errors, gmsError } from '../errors.ts';
import { checkCustomId, storageTtl } from '../user-data/storage-params.ts';
import type { UserDataAccess } from '../user-data/user-data-store.ts';
import { requestBody } from './body-parser.ts';
import { gmsUser } from './service-router.ts';
import { sendStoredValue } from './stored-value-reply.ts';

function access(ctx: Context): UserDataAccess {
  return { gmsUser: gmsUser(ctx) };
}

function param(ctx: Context, name: string): string {
  return ctx.params[name] ?? '';
}

/** Routes of `/genesys/1/storage`; `/custom/...` and `/binary/...` are registered before the `/:id/...` routes. */
export function storageRouter(engine: Engine, parseBody: Middleware): Router {
  const router = new Router({ prefix: '/genesys/1/storage' });
  const store = engine.userData;
  const ttlOf = (ctx: Context) => storageTtl(param(ctx, 'ttl'), engine.config.storage.max_ttl);

  router.post('/custom/:customId/:ttl', parseBody, async (ctx) => {
    const id = param(ctx, 'customId');
    const owner = gmsUser(ctx);
    checkCustomId(id);
    const ttl = ttlOf(ctx);
    if (!owner) {
      throw gmsError(Errors.MISSING_PARAMETER, {
        field: 'gms_user (header)',
        hint: 'a custom storage id is bound to the gms_user header of the request that creates it',
      });
    }
    await store.createCustom(id, requestBody(ctx), ttl, owner);
    ctx.body = { id };
  });
  router.get('/binary/:id/:key', async (ctx) => {
    sendStoredValue(ctx, await store.readKey(param(ctx, 'id'), param(ctx, 'key'), access(ctx)));
  });
  const create = async (ctx: Context) => {
    const ttl = ttlOf(ctx);
    const body = requestBody(ctx);
    ctx.body = { id: await store.create(body.fields, body.files, ttl) };
  };
  router.post('/', parseBody, create);
  router.post('/:ttl', parseBody, create);
  router.post('/:id/:ttl', parseBody, async (ctx) => {
    const id = param(ctx, 'id');
    await store.update(id, requestBody(ctx), ttlOf(ctx), access(ctx));
    ctx.body = { id };
  });
  router.get('/:id', async (ctx) => {
    ctx.body = (await store.read(param(ctx, 'id'), access(ctx))).fields;
  });
  router.get('/:id/:key', async (ctx) => {
    sendStoredValue(ctx, await store.readKey(param(ctx, 'id'), param(ctx, 'key'), access(ctx)));
  });
  router.delete('/:id', async (ctx) => {
    const id = param(ctx, 'id');
    if (!(await store.delete(id, access(ctx)))) throw gmsError(Errors.STORAGE_NOT_FOUND, { id });
    ctx.body = { id, deleted: true };
  });
  router.delete('/:id/:key', async (ctx) => {
    const id = param(ctx, 'id');
    const key = param(ctx, 'key');
    await store.deleteKey(id, key, access(ctx));
    ctx.body = { id, key, deleted: true };
  });
  return router;
}
