/**
 * The admin API's logic, composed once per engine: one ConfigWriter (so every change, whichever endpoint makes it,
 * waits for the previous one), one audit, and the services and pattern admins on top of them.
 */
import { ConfigWriter } from '../config/config-writer.ts';
import type { Engine } from '../engine.ts';
import { AuditLog } from './audit-log.ts';
import { PatternAdmin } from './pattern-admin.ts';
import { ServiceAdmin } from './service-admin.ts';

/** What the admin routers use. */
export interface AdminApi {
  readonly services: ServiceAdmin;
  readonly patterns: PatternAdmin;
  readonly audit: AuditLog;
}

/** One admin per engine, even when several apps are created on it, so changes stay serialized. */
const admins = new WeakMap<Engine, AdminApi>();

/** The admin API of `engine`. */
export function adminApi(engine: Engine): AdminApi {
  const existing = admins.get(engine);
  if (existing) return existing;
  const writer = new ConfigWriter(engine);
  const audit = new AuditLog(engine.storage, engine.log);
  const admin: AdminApi = {
    services: new ServiceAdmin(engine, writer, audit),
    patterns: new PatternAdmin(() => engine.config, writer, audit),
    audit,
  };
  admins.set(engine, admin);
  return admin;
}
