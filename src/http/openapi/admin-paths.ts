/** OpenAPI paths of the administration API: templates, services, resource groups, pattern groups, audit. */
import {
  createPatternGroupSchema,
  createResourceGroupSchema,
  createServiceSchema,
  putPatternSchema,
  resourceNumbersSchema,
  updateResourceGroupSchema,
  updateServiceSchema,
} from '../../admin/admin-input.ts';
import { type OpenApiObject, operation } from './operation.ts';

const ADMIN = 'Admin';

/** Paths of `/genesys/1/admin/...` (except node) and the pattern test. */
export function adminPaths(): Record<string, OpenApiObject> {
  return {
    '/genesys/1/admin/templates': {
      get: operation('/genesys/1/admin/templates', {
        summary: 'Installed templates with option metadata',
        tag: ADMIN,
        auth: true,
        ok: { '200': 'templates' },
      }),
      post: operation('/genesys/1/admin/templates', {
        summary: 'Upload a template zip (multipart); `?replace=true` replaces one of the same name',
        tag: ADMIN,
        auth: true,
        query: { replace: '`true` to replace an installed template of the same name' },
        body: { kind: 'multipart-file', field: 'template' },
        ok: { '201': 'the installed template' },
        errors: [400, 409, 413, 415],
      }),
    },
    '/genesys/1/admin/templates/{name}': {
      get: operation('/genesys/1/admin/templates/{name}', {
        summary: 'One template',
        tag: ADMIN,
        auth: true,
        ok: { '200': 'the template' },
        errors: [404],
      }),
      delete: operation('/genesys/1/admin/templates/{name}', {
        summary: 'Delete an uploaded template (409 while a service uses it)',
        tag: ADMIN,
        auth: true,
        ok: { '200': 'deleted' },
        errors: [404, 409],
      }),
    },
    '/genesys/1/admin/services': {
      get: operation('/genesys/1/admin/services', {
        summary: 'Configured services with state and validity',
        tag: ADMIN,
        auth: true,
        ok: { '200': 'services' },
      }),
      post: operation('/genesys/1/admin/services', {
        summary: 'Create a service from a template (or one of its presets), written to the INI file',
        tag: ADMIN,
        auth: true,
        body: { kind: 'json', schema: createServiceSchema },
        ok: { '201': 'the service' },
        errors: [400, 404, 409, 415],
      }),
    },
    '/genesys/1/admin/services/{name}': {
      get: operation('/genesys/1/admin/services/{name}', {
        summary: 'One service: every option with its template metadata and value',
        tag: ADMIN,
        auth: true,
        ok: { '200': 'the service' },
        errors: [404],
      }),
      patch: operation('/genesys/1/admin/services/{name}', {
        summary: 'Rename, set and delete options, all or nothing',
        tag: ADMIN,
        auth: true,
        body: { kind: 'json', schema: updateServiceSchema },
        ok: { '200': 'the service' },
        errors: [400, 404, 409, 415],
      }),
      delete: operation('/genesys/1/admin/services/{name}', {
        summary: 'Delete a service section',
        tag: ADMIN,
        auth: true,
        ok: { '200': 'deleted' },
        errors: [404, 409],
      }),
    },
    ...resourcePaths(),
    ...patternPaths(),
    '/genesys/1/admin/audit': {
      get: operation('/genesys/1/admin/audit', {
        summary: 'Recent admin changes, newest first',
        tag: ADMIN,
        auth: true,
        query: { limit: 'How many entries (at most 1000)' },
        ok: { '200': 'audit entries' },
        errors: [400],
      }),
    },
  };
}

const FORCE = { force: '`true` releases the live reservations in the way instead of refusing with 409' };

function resourcePaths(): Record<string, OpenApiObject> {
  return {
    '/genesys/1/admin/resources': {
      get: operation('/genesys/1/admin/resources', {
        summary: 'Every resource group: strategy, total, available, reserved',
        tag: ADMIN,
        auth: true,
        ok: { '200': 'resource groups' },
      }),
      post: operation('/genesys/1/admin/resources', {
        summary: 'Create a resource group with numbers and ranges, written to the INI file',
        tag: ADMIN,
        auth: true,
        body: { kind: 'json', schema: createResourceGroupSchema },
        ok: { '201': 'the group: counters and entries' },
        errors: [400, 409, 415],
      }),
    },
    '/genesys/1/admin/resources/{group}': {
      get: operation('/genesys/1/admin/resources/{group}', {
        summary: 'One resource group with its entries and its live reservations (paged)',
        tag: ADMIN,
        auth: true,
        query: { offset: 'First reservation listed (default 0)', limit: 'Most reservations listed (default 100)' },
        ok: { '200': 'the group and its reservations' },
        errors: [400, 404],
      }),
      patch: operation('/genesys/1/admin/resources/{group}', {
        summary: 'Change the strategy and booking timeout (null restores the default)',
        tag: ADMIN,
        auth: true,
        body: { kind: 'json', schema: updateResourceGroupSchema },
        ok: { '200': 'the group: counters and entries' },
        errors: [400, 404, 409, 415],
      }),
      delete: operation('/genesys/1/admin/resources/{group}', {
        summary: 'Delete a group (409 while a service names it, or while its numbers are reserved unless forced)',
        tag: ADMIN,
        auth: true,
        query: FORCE,
        ok: { '200': '`{"name","deleted":true,"released"}`' },
        errors: [400, 404, 409],
      }),
    },
    '/genesys/1/admin/resources/{group}/numbers': {
      post: operation('/genesys/1/admin/resources/{group}/numbers', {
        summary: 'Add access numbers (dnisN) and ranges (rangeN)',
        tag: ADMIN,
        auth: true,
        body: { kind: 'json', schema: resourceNumbersSchema },
        ok: { '200': 'the group: counters and entries' },
        errors: [400, 404, 409, 415],
      }),
    },
    '/genesys/1/admin/resources/{group}/numbers/{entry}': {
      delete: operation('/genesys/1/admin/resources/{group}/numbers/{entry}', {
        summary: 'Remove a number or range (its value or option name); 409 while reserved unless forced',
        tag: ADMIN,
        auth: true,
        query: FORCE,
        ok: { '200': 'the group: counters, entries and how many reservations were released' },
        errors: [400, 404, 409],
      }),
    },
  };
}

function patternPaths(): Record<string, OpenApiObject> {
  return {
    '/genesys/1/admin/patterns': {
      get: operation('/genesys/1/admin/patterns', {
        summary: 'Pattern groups',
        tag: ADMIN,
        auth: true,
        ok: { '200': 'pattern groups' },
      }),
      post: operation('/genesys/1/admin/patterns', {
        summary: 'Create a pattern group',
        tag: ADMIN,
        auth: true,
        body: { kind: 'json', schema: createPatternGroupSchema },
        ok: { '201': 'the group' },
        errors: [400, 409, 415],
      }),
    },
    '/genesys/1/admin/patterns/{group}': {
      get: operation('/genesys/1/admin/patterns/{group}', {
        summary: 'One pattern group',
        tag: ADMIN,
        auth: true,
        ok: { '200': 'the group' },
        errors: [404],
      }),
      delete: operation('/genesys/1/admin/patterns/{group}', {
        summary: 'Delete a pattern group',
        tag: ADMIN,
        auth: true,
        ok: { '200': 'deleted' },
        errors: [404, 409],
      }),
    },
    '/genesys/1/admin/patterns/{group}/{name}': {
      put: operation('/genesys/1/admin/patterns/{group}/{name}', {
        summary: 'Add or replace one pattern (checked for catastrophic backtracking)',
        tag: ADMIN,
        auth: true,
        body: { kind: 'json', schema: putPatternSchema },
        ok: { '200': 'the group' },
        errors: [400, 404, 409, 415],
      }),
      delete: operation('/genesys/1/admin/patterns/{group}/{name}', {
        summary: 'Remove one pattern',
        tag: ADMIN,
        auth: true,
        ok: { '200': 'the group' },
        errors: [404, 409],
      }),
    },
    '/genesys/1/patterns/group/{group}': {
      get: operation('/genesys/1/patterns/group/{group}', {
        summary: 'Which patterns of the group match `test_value`',
        tag: ADMIN,
        auth: true,
        query: { test_value: 'The value to test' },
        ok: { '200': '`{"group","value","matches":[{"name","pattern"}]}`' },
        errors: [400, 404],
      }),
      post: operation('/genesys/1/patterns/group/{group}', {
        summary: 'Which patterns of the group match the form field `test_value`',
        tag: ADMIN,
        auth: true,
        body: { kind: 'form' },
        ok: { '200': '`{"group","value","matches":[{"name","pattern"}]}`' },
        errors: [400, 404],
      }),
    },
  };
}
