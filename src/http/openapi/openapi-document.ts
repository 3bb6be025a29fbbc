/** The OpenAPI 3.1 document of every endpoint, served at `/genesys/1/openapi.json` and checked against the routes. */
import { ENGINE_VERSION } from '../../version.ts';
import { adminPaths } from './admin-paths.ts';
import { components, type OpenApiObject, operation } from './operation.ts';
import { servicePaths } from './service-paths.ts';

/** Builds the document (once; it does not depend on configuration). */
export function openApiDocument(): OpenApiObject {
  return {
    openapi: '3.1.0',
    info: {
      title: 'gms-engine',
      version: ENGINE_VERSION,
      description:
        'Genesys Mobile Services 8.5 compatible API. Every path also answers under /gms-web/gms/1/ and /GMS-web/gms/1/ ' +
        'instead of /genesys/1/. Errors answer {"message","exception","code"}.',
    },
    paths: {
      ...servicePaths(),
      ...adminPaths(),
      '/genesys/1/openapi.json': {
        get: operation('/genesys/1/openapi.json', {
          summary: 'This document',
          tag: 'Meta',
          ok: { '200': 'the OpenAPI 3.1 document' },
        }),
      },
    },
    components,
  };
}
