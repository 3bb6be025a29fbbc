/**
 * Pattern groups behind Basic auth: the admin API under `/genesys/1/admin/patterns` (JSON), and the test of a value
 * against a group at the path the Service Management UI uses, `/genesys/1/patterns/group/{group}` (form field
 * `test_value`, seed 002).
 */
import Router from '@koa/router';
import type { Middleware } from 'koa';
import { parseCreatePatternGroup, parsePutPattern } from '../admin/admin-input.ts';
import type { PatternAdmin } from '../admin/pattern-admin.ts';
import { Errors, gmsError } from '../errors.ts';
import { adminUser, jsonOf } from './admin-request.ts';
import { requestBody } from './body-parser.ts';

const ADMIN = '/genesys/1/admin/patterns';

/** Routes of pattern groups. */
export function adminPatternsRouter(
  patterns: PatternAdmin,
  middleware: { auth: Middleware; json: Middleware; form: Middleware },
): Router {
  const { auth, json, form } = middleware;
  const router = new Router();
  router.get(ADMIN, auth, (ctx) => {
    ctx.body = patterns.list();
  });
  router.post(ADMIN, auth, json, async (ctx) => {
    ctx.body = await patterns.createGroup(adminUser(ctx), parseCreatePatternGroup(jsonOf(ctx)));
    ctx.status = 201;
  });
  router.get(`${ADMIN}/:group`, auth, (ctx) => {
    ctx.body = patterns.get(ctx.params.group ?? '');
  });
  router.delete(`${ADMIN}/:group`, auth, async (ctx) => {
    await patterns.deleteGroup(adminUser(ctx), ctx.params.group ?? '');
    ctx.body = { group: ctx.params.group, deleted: true };
  });
  router.put(`${ADMIN}/:group/:name`, auth, json, async (ctx) => {
    const { pattern } = parsePutPattern(jsonOf(ctx));
    const result = await patterns.putPattern(adminUser(ctx), ctx.params.group ?? '', ctx.params.name ?? '', pattern);
    ctx.body = result.group;
    ctx.status = result.created ? 201 : 200;
  });
  router.delete(`${ADMIN}/:group/:name`, auth, async (ctx) => {
    ctx.body = await patterns.deletePattern(adminUser(ctx), ctx.params.group ?? '', ctx.params.name ?? '');
  });
  router.get('/genesys/1/patterns/group/:group', auth, (ctx) => {
    ctx.body = patterns.get(ctx.params.group ?? '');
  });
  router.post('/genesys/1/patterns/group/:group', auth, form, (ctx) => {
    const value = requestBody(ctx).fields.test_value;
    if (value === undefined) {
      throw gmsError(Errors.MISSING_PARAMETER, { field: 'test_value', hint: 'send the value to test as a form field' });
    }
    ctx.body = patterns.test(ctx.params.group ?? '', value);
  });
  return router;
}
