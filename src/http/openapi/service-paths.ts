/** OpenAPI paths of the Service API, the node API and the storage API. */
import { type OpenApiObject, operation } from './operation.ts';

const SERVICE = 'Service API';
const STORAGE = 'Storage API';
const NODE = 'Node';

/** Paths of `/genesys/1/service`, `/genesys/1/storage` and `/genesys/1/admin/node`. */
export function servicePaths(): Record<string, OpenApiObject> {
  return {
    '/genesys/1/service/{name}': {
      post: operation('/genesys/1/service/{name}', {
        summary: 'Create: start an instance of a configured service; `_` fields are parameters, others user data',
        tag: SERVICE,
        body: { kind: 'form' },
        ok: { '200': '`_id` then the plugin data' },
        errors: [400, 404, 405, 413, 503],
      }),
      get: operation('/genesys/1/service/{name}', {
        summary: 'Read a GET-style service (get, basic_get)',
        tag: SERVICE,
        ok: { '200': 'the service answer' },
        errors: [404, 405, 503],
      }),
    },
    '/genesys/1/service/{id}': {
      delete: operation('/genesys/1/service/{id}', {
        summary: 'Release what the instance holds and delete it',
        tag: SERVICE,
        ok: { '200': '`{"_id","deleted":true}`' },
        errors: [404],
      }),
    },
    '/genesys/1/service/{id}/{request}': {
      post: operation('/genesys/1/service/{id}/{request}', {
        summary: 'A service-specific request on a live instance',
        tag: SERVICE,
        body: { kind: 'form' },
        ok: { '200': 'the request answer' },
        errors: [400, 404],
      }),
    },
    '/genesys/1/service/{id}/storage': {
      get: operation('/genesys/1/service/{id}/storage', {
        summary: "The string keys of the instance's user data",
        tag: STORAGE,
        ok: { '200': 'key -> value map' },
        errors: [404],
      }),
      post: operation('/genesys/1/service/{id}/storage', {
        summary: "Add or replace keys of the instance's user data",
        tag: STORAGE,
        body: { kind: 'form' },
        ok: { '200': 'the stored keys' },
        errors: [400, 404, 409, 413],
      }),
    },
    '/genesys/1/service/{id}/storage/{key}': {
      get: operation('/genesys/1/service/{id}/storage/{key}', {
        summary: 'One value of the instance user data',
        tag: STORAGE,
        ok: { '200': 'the value (text, or the file bytes)' },
        errors: [404],
        produces: 'text/plain',
      }),
      delete: operation('/genesys/1/service/{id}/storage/{key}', {
        summary: 'Delete one key of the instance user data',
        tag: STORAGE,
        ok: { '200': 'deleted' },
        errors: [404],
      }),
    },
    '/genesys/1/service/{id}/storage/binary/{key}': {
      get: operation('/genesys/1/service/{id}/storage/binary/{key}', {
        summary: 'The bytes of a file of the instance user data',
        tag: STORAGE,
        ok: { '200': 'the bytes, original content type and file name' },
        errors: [404],
        produces: 'application/octet-stream',
      }),
    },
    ...storagePaths(),
    '/genesys/1/admin/node/status': {
      get: operation('/genesys/1/admin/node/status', {
        summary: 'This node status for load balancers',
        tag: NODE,
        ok: { '200': '`ONLINE` or `OFFLINE`' },
        produces: 'text/plain',
      }),
    },
    '/genesys/1/admin/node/changestatus/{status}': {
      post: operation('/genesys/1/admin/node/changestatus/{status}', {
        summary: 'Set ONLINE or OFFLINE, or SHUTDOWN gracefully',
        tag: NODE,
        auth: true,
        ok: { '200': 'the new status' },
        errors: [400],
        produces: 'text/plain',
      }),
    },
  };
}

function storagePaths(): Record<string, OpenApiObject> {
  const ttl = 'Time to live in seconds; an invalid ttl means 30';
  return {
    '/genesys/1/storage': {
      post: operation('/genesys/1/storage', {
        summary: 'Store a record with the default ttl (30 s)',
        tag: STORAGE,
        body: { kind: 'form' },
        ok: { '200': '`{"id"}`' },
        errors: [400, 413],
      }),
    },
    '/genesys/1/storage/{ttl}': {
      post: operation('/genesys/1/storage/{ttl}', {
        summary: `Store a record (${ttl})`,
        tag: STORAGE,
        body: { kind: 'form' },
        ok: { '200': '`{"id"}`' },
        errors: [400, 413],
      }),
    },
    '/genesys/1/storage/{id}/{ttl}': {
      post: operation('/genesys/1/storage/{id}/{ttl}', {
        summary: 'Add or replace keys and reset the ttl',
        tag: STORAGE,
        body: { kind: 'form' },
        ok: { '200': '`{"id"}`' },
        errors: [400, 403, 404, 409, 413],
      }),
    },
    '/genesys/1/storage/custom/{customId}/{ttl}': {
      post: operation('/genesys/1/storage/custom/{customId}/{ttl}', {
        summary: 'Store under a caller-chosen id bound to the gms_user header',
        tag: STORAGE,
        body: { kind: 'form' },
        ok: { '200': '`{"id"}`' },
        errors: [400, 403, 409, 413],
      }),
    },
    '/genesys/1/storage/{id}': {
      get: operation('/genesys/1/storage/{id}', {
        summary: 'Every string key of a record',
        tag: STORAGE,
        ok: { '200': 'key -> value map' },
        errors: [400, 403, 404],
      }),
      delete: operation('/genesys/1/storage/{id}', {
        summary: 'Delete a record and its files',
        tag: STORAGE,
        ok: { '200': 'deleted' },
        errors: [400, 403, 404],
      }),
    },
    '/genesys/1/storage/{id}/{key}': {
      get: operation('/genesys/1/storage/{id}/{key}', {
        summary: 'One value',
        tag: STORAGE,
        ok: { '200': 'the value (text, or the file bytes)' },
        errors: [400, 403, 404],
        produces: 'text/plain',
      }),
      delete: operation('/genesys/1/storage/{id}/{key}', {
        summary: 'Delete one key',
        tag: STORAGE,
        ok: { '200': 'deleted' },
        errors: [400, 403, 404],
      }),
    },
    '/genesys/1/storage/binary/{id}/{key}': {
      get: operation('/genesys/1/storage/binary/{id}/{key}', {
        summary: 'The bytes of a stored file',
        tag: STORAGE,
        ok: { '200': 'the bytes, original content type and file name' },
        errors: [400, 403, 404],
        produces: 'application/octet-stream',
      }),
    },
  };
}
