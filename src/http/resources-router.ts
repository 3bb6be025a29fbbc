/**
 * The admin API of resource groups, read side: counters of every group, and one group with its access-number lines
 * and its live reservations.
 */
import Router from '@koa/router';
import type { Middleware } from 'koa';
import { groupEntries } from '../admin/resource-entries.ts';
import type { Engine } from '../engine.ts';
import { Errors, gmsError } from '../errors.ts';
import type { Page } from '../resources/types.ts';

/** Most reservations listed per page. */
const MAX_LIMIT = 10_000;
const DEFAULT_LIMIT = 100;

function integerQuery(value: unknown, field: string, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > max) {
    throw gmsError(Errors.INVALID_PARAMETER, { field, rule: `must be a whole number from 0 to ${max}` });
  }
  return number;
}

function pageOf(query: Record<string, unknown>): Page {
  return {
    offset: integerQuery(query.offset, 'offset', 0, Number.MAX_SAFE_INTEGER),
    limit: integerQuery(query.limit, 'limit', DEFAULT_LIMIT, MAX_LIMIT),
  };
}

/** Routes of `/genesys/1/admin/resources`, behind Basic auth. */
export function resourcesRouter(engine: Engine, auth: Middleware): Router {
  const router = new Router({ prefix: '/genesys/1/admin/resources' });
  router.use(auth);
  router.get('/', async (ctx) => {
    ctx.body = await engine.resources.groups();
  });
  router.get('/:group', async (ctx) => {
    const name = ctx.params.group ?? '';
    const detail = await engine.resources.group(name, pageOf(ctx.query));
    if (!detail) throw gmsError(Errors.RESOURCE_GROUP_NOT_FOUND, { group: name });
    ctx.body = { ...detail, entries: groupEntries(engine.config.resources.get(name) ?? new Map()) };
  });
  return router;
}
