/** The audit of admin changes, newest first, behind Basic auth. */
import Router from '@koa/router';
import type { Middleware } from 'koa';
import { AUDIT_MAX_LISTED, type AuditLog } from '../admin/audit-log.ts';
import { Errors, gmsError } from '../errors.ts';

/** Entries answered when `limit` is not given. */
const DEFAULT_LIMIT = 100;

/** Routes of `/genesys/1/admin/audit`. */
export function adminAuditRouter(audit: AuditLog, auth: Middleware): Router {
  const router = new Router({ prefix: '/genesys/1/admin/audit' });
  router.use(auth);
  router.get('/', async (ctx) => {
    const text = typeof ctx.query.limit === 'string' ? ctx.query.limit : String(DEFAULT_LIMIT);
    const limit = Number(text);
    if (!/^\d+$/.test(text) || limit < 1 || limit > AUDIT_MAX_LISTED) {
      throw gmsError(Errors.INVALID_PARAMETER, {
        field: 'limit',
        rule: `must be a whole number from 1 to ${AUDIT_MAX_LISTED}`,
      });
    }
    ctx.body = await audit.recent(limit);
  });
  return router;
}
