/** createApp: composes middleware and routers around an engine. It never listens; main.ts and tests do. */
import Koa, { type Middleware } from 'koa';
import type { Engine } from './engine.ts';
import { adminRouters } from './http/admin-routers.ts';
import { routeByApi } from './http/api-routing.ts';
import { requireBasicAuth } from './http/basic-auth.ts';
import { bodyParser } from './http/body-parser.ts';
import { corsMiddleware } from './http/cors.ts';
import { errorMiddleware } from './http/error-middleware.ts';
import { handleAfterReads } from './http/handle-after-reads.ts';
import { legacyPrefix } from './http/legacy-prefix.ts';
import { nodeRouter } from './http/node-router.ts';
import { openApiRouter } from './http/openapi-router.ts';
import { resourcesRouter } from './http/resources-router.ts';
import { serviceRouter } from './http/service-router.ts';
import { serviceStorageRouter } from './http/service-storage-router.ts';
import { storageRouter } from './http/storage-router.ts';
import { templatesRouter } from './http/templates-router.ts';

/** Multipart limits besides the configured byte limits. */
const MAX_FIELDS = 1000;
const MAX_FILES = 100;

/** The Koa application serving the engine's HTTP API. */
export function createApp(engine: Engine): Koa {
  const app = new Koa();
  app.proxy = true;
  const server = () => engine.config.server;
  const auth = requireBasicAuth(() => ({ username: server().username, password: server().password }));
  const readBody = bodyParser({
    maxBodyBytes: server().max_body_bytes,
    maxFileBytes: server().max_file_bytes,
    maxFields: MAX_FIELDS,
    maxFiles: MAX_FILES,
  });
  // Every route that reads a body handles it after the other requests of the same event-loop turn were read.
  const parseBody: Middleware = (ctx, next) => readBody(ctx, () => handleAfterReads(ctx, next));
  app.use(errorMiddleware(engine.log));
  app.use(corsMiddleware(() => server().cors_origins));
  app.use(legacyPrefix);
  app.use(
    routeByApi([
      nodeRouter(engine, auth),
      templatesRouter(engine, auth),
      storageRouter(engine, parseBody),
      serviceStorageRouter(engine.serviceData, parseBody),
      serviceRouter(engine.dispatcher, parseBody),
      resourcesRouter(engine, auth),
      ...adminRouters(engine, auth, parseBody),
      openApiRouter(),
    ]),
  );
  return app;
}
