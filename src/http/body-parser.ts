/**
 * Request bodies of the Service and Storage APIs: multipart (strings and files), urlencoded or JSON, all turned
 * into the same `RequestBody` (string fields + files) at `ctx.state.body`.
 */
import type { Context, Next } from 'koa';
import { koaBody } from 'koa-body';
import type { RequestBody } from '../services/service-dispatcher.ts';
import { type MultipartLimits, readMultipart } from './multipart.ts';

/** Converts a parsed JSON or urlencoded value to the string GMS user data holds. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

/** Reads the body of the current request into a RequestBody. */
export function bodyParser(limits: MultipartLimits) {
  const parseSimple = koaBody({
    multipart: false,
    urlencoded: true,
    json: true,
    text: false,
    formLimit: limits.maxBodyBytes,
    jsonLimit: limits.maxBodyBytes,
  });
  return async function parseBody(ctx: Context, next: Next): Promise<void> {
    if (ctx.is('multipart/form-data')) {
      ctx.state.body = await readMultipart(ctx, limits);
      await next();
      return;
    }
    await parseSimple(ctx, async () => {
      const raw: unknown = ctx.request.body;
      const fields: Record<string, string> = {};
      if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
        for (const [key, value] of Object.entries(raw)) fields[key] = asText(value);
      }
      const body: RequestBody = { fields, files: [] };
      ctx.state.body = body;
      await next();
    });
  };
}

/** The body parsed by `bodyParser`. */
export function requestBody(ctx: Context): RequestBody {
  return (ctx.state.body as RequestBody | undefined) ?? { fields: {}, files: [] };
}
