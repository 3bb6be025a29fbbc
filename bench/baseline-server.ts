/**
 * The baseline the engine is measured against, in the same run: a bare Koa + koa-body server parsing a urlencoded
 * body and answering JSON, the least any HTTP route of the engine must do.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { koaBody } from 'koa-body';

const app = new Koa();
app.use(koaBody({ urlencoded: true, json: true, multipart: false }));
app.use((ctx) => {
  const body = ctx.request.body as Record<string, unknown> | undefined;
  ctx.body = { fields: Object.keys(body ?? {}).length };
});
const server = http.createServer(app.callback()).listen(0, () => {
  process.stdout.write(`listening on http://localhost:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
