/** The routers of the admin API (services, pattern groups, resource groups, audit), on one admin per engine. */
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { adminApi } from '../admin/admin-api.ts';
import type { Engine } from '../engine.ts';
import { adminAuditRouter } from './admin-audit-router.ts';
import { adminPatternsRouter } from './admin-patterns-router.ts';
import { jsonBody } from './admin-request.ts';
import { adminResourcesRouter } from './admin-resources-router.ts';
import { adminServicesRouter } from './admin-services-router.ts';

/** Every admin router; `form` parses form bodies (the pattern test). */
export function adminRouters(engine: Engine, auth: Middleware, form: Middleware): Router[] {
  const admin = adminApi(engine);
  const json = jsonBody(engine.config.server.max_body_bytes);
  return [
    adminServicesRouter(admin.services, auth, json),
    adminPatternsRouter(admin.patterns, { auth, json, form }),
    adminResourcesRouter(admin.resources, auth, json),
    adminAuditRouter(admin.audit, auth),
  ];
}
