/**
 * The admin API's logic, composed once per engine: one ConfigWriter (so every change, whichever endpoint makes it,
 * waits for the previous one), one audit, and the services, pattern and resource admins on top of them.
 */
import { ConfigWriter } from '../config/config-writer.ts';
import type { Engine } from '../engine.ts';
import { InstanceStore } from '../services/instance-store.ts';
import { AuditLog } from './audit-log.ts';
import { PatternAdmin } from './pattern-admin.ts';
import { ResourceAdmin } from './resource-admin.ts';
import { ServiceAdmin } from './service-admin.ts';

/** What the admin routers use. */
export interface AdminApi {
  readonly services: ServiceAdmin;
  readonly patterns: PatternAdmin;
  readonly resources: ResourceAdmin;
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
    resources: new ResourceAdmin(resourceTarget(engine), writer, audit),
    audit,
  };
  admins.set(engine, admin);
  return admin;
}

/** The engine as the resource admin sees it; live instances are read to name the service holding a number. */
function resourceTarget(engine: Engine) {
  const instances = new InstanceStore(engine.storage);
  return {
    config: () => engine.config,
    resources: engine.resources,
    serviceOf: async (id: string) => (await instances.get(id))?.service,
  };
}
