/** Serves the OpenAPI document. */
import Router from '@koa/router';
import { openApiDocument } from './openapi/openapi-document.ts';

/** `GET /genesys/1/openapi.json`. */
export function openApiRouter(): Router {
  const router = new Router();
  const document = openApiDocument();
  router.get('/genesys/1/openapi.json', (ctx) => {
    ctx.body = document;
  });
  return router;
}
