/** Test helper for the call-matching tests: the configuration they share and short-hands for the HTTP calls. */
import type Koa from 'koa';
import request from 'supertest';
import type { BackendKind } from '../../src/storage/types.ts';
import { ADMIN, type EngineFixture, startEngine } from './engine-fixture.ts';
import { requireRedis } from './redis.ts';
import { storageSection } from './resource-backends.ts';

/** Resource groups and services most call-matching tests use. */
export const CALL_MATCHING_SECTIONS = `
[resource.locking-pool]
_allocation_strategy = locking
range1 = 6504664100-6504664102

[resource.shared-pool]
_allocation_strategy = random
dnis1 = 8003449999

[resource.rr-pool]
_allocation_strategy = round-robin
range1 = 8005550000-8005550002

[resource.short-pool]
_allocation_strategy = locking
_booking_expiration_timeout = 1
dnis1 = 6504669000

[resource.DNIS]
_allocation_strategy = locking
dnis1 = 6504664131
dnis2 = 6504664132

[service.locking-ri]
_type = builtin
_service = request-interaction
_resource_group = locking-pool

[service.shared-ri]
_type = builtin
_service = request-interaction
_resource_group = shared-pool

[service.rr-ri]
_type = builtin
_service = request-interaction
_resource_group = rr-pool

[service.short-ri]
_type = builtin
_service = request-interaction
_resource_group = short-pool

[service.no-group]
_type = builtin
_service = request-interaction

[service.request-access]
_type = builtin
_service = request-access

[service.match-interaction]
_type = builtin
_service = match-interaction
`;

/** Starts an engine on `kind` with `sections` (default CALL_MATCHING_SECTIONS); cleans Redis keys on close. */
export async function startCallMatching(
  kind: BackendKind,
  sections = CALL_MATCHING_SECTIONS,
  server = '',
): Promise<EngineFixture> {
  const storage = storageSection(kind);
  const fixture = await startEngine(`${storage.section}\n${sections}`, server);
  return {
    ...fixture,
    close: async () => {
      await fixture.close();
      await storage.cleanup();
    },
  };
}

/** POSTs a urlencoded Create (or a match) and returns the response. */
export function post(app: Koa, service: string, fields: Record<string, string>) {
  return request(app.callback()).post(`/genesys/1/service/${service}`).type('form').send(fields);
}

/** Reads a resource group through the admin API. */
export async function groupState(app: Koa, group: string): Promise<Record<string, unknown>> {
  const response = await request(app.callback())
    .get(`/genesys/1/admin/resources/${group}`)
    .auth(ADMIN.user, ADMIN.password)
    .expect(200);
  return response.body as Record<string, unknown>;
}

/** The backends the call-matching suites run on: the in-process one and Redis (required under `CI=true`). */
const CALL_MATCHING_KINDS: readonly BackendKind[] = ['memory', 'redis'];

/**
 * Defines the suite `title` once per backend (`<title> on memory`, `<title> on redis`), each test on a fresh engine
 * configured with `sections`; `define` reaches the running engine through `fixture()`.
 */
export function describeOnEachBackend(
  title: string,
  sections: string,
  define: (fixture: () => EngineFixture, kind: BackendKind) => void,
): void {
  for (const kind of CALL_MATCHING_KINDS) {
    describe(`${title} on ${kind}`, () => {
      let started: EngineFixture | undefined;
      before(async function () {
        if (kind === 'redis') await requireRedis(this);
      });
      beforeEach(async () => {
        started = await startCallMatching(kind, sections);
      });
      afterEach(() => started?.close());
      define(() => {
        if (!started) throw new Error('the engine of this test did not start');
        return started;
      }, kind);
    });
  }
}
