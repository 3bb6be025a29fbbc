/**
 * Request bodies of the Service and Storage APIs: multipart (strings and files), urlencoded or JSON, all turned
 * into the same `RequestBody` (string fields + files) at `ctx.state.body`.
 *
 * Urlencoded and JSON bodies are read as text by co-body (raw-body with size limits and inflation, what koa-body
 * uses underneath) and parsed here: GMS fields are flat names, so `node:querystring` parses them (`a[b]` stays the
 * name `a[b]`, as GMS keeps it) at a quarter of qs's cost, and the media type is compared once instead of through
 * type-is for each parser. Create is the API's hot path; this is part of what keeps it close to a bare Koa route.
 */
import { parse as parseQueryString } from 'node:querystring';
import coBody from 'co-body';
import type { Context, Next } from 'koa';
import { Errors, gmsError } from '../errors.ts';
import type { RequestBody } from '../services/service-dispatcher.ts';
import { type MultipartLimits, readMultipart } from './multipart.ts';

/** Converts a parsed JSON or urlencoded value to the string GMS user data holds. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

/** The media type of the request, lower case, without parameters (`''` without a Content-Type). */
function mediaType(ctx: Context): string {
  const header = ctx.get('Content-Type');
  const end = header.indexOf(';');
  return (end < 0 ? header : header.slice(0, end)).trim().toLowerCase();
}

function isJson(type: string): boolean {
  return type === 'application/json' || type.endsWith('+json');
}

/** The fields of a text body; throws 400 for malformed JSON and 413 beyond `maxFields`. */
function fieldsOf(text: string, json: boolean, maxFields: number): Record<string, string> {
  let raw: unknown;
  if (json) {
    try {
      raw = text.trim() === '' ? {} : JSON.parse(text);
    } catch (error) {
      throw gmsError(Errors.INVALID_BODY, { detail: `malformed JSON: ${(error as Error).message}` });
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw gmsError(Errors.INVALID_BODY, { detail: 'a JSON body must be an object of fields, like {"key": "value"}' });
    }
  } else {
    raw = parseQueryString(text, '&', '=', { maxKeys: 0 });
  }
  // The parsed object becomes the fields, values turned to text in place: it is this request's own, and copying it
  // key by key into a new object cost more than parsing it.
  const fields = raw as Record<string, unknown>;
  let count = 0;
  for (const key in fields) {
    if (++count > maxFields) throw gmsError(Errors.BODY_TOO_LARGE, { detail: `more than ${maxFields} fields` });
    const value = fields[key];
    // Defined, not assigned: a JSON key `__proto__` is an own property, and assigning to it would set the prototype.
    if (typeof value !== 'string') {
      Object.defineProperty(fields, key, {
        value: asText(value),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return fields as Record<string, string>;
}

/** Reads the body of the current request into a RequestBody. */
export function bodyParser(limits: MultipartLimits) {
  return async function parseBody(ctx: Context, next: Next): Promise<void> {
    const type = mediaType(ctx);
    let body: RequestBody;
    if (type === 'multipart/form-data') {
      body = await readMultipart(ctx, limits);
    } else if (type === 'application/x-www-form-urlencoded' || isJson(type)) {
      const text: unknown = await coBody.text(ctx, { limit: limits.maxBodyBytes });
      body = {
        fields: fieldsOf(
          typeof text === 'string' ? text : '',
          type !== 'application/x-www-form-urlencoded',
          limits.maxFields,
        ),
        files: [],
      };
    } else {
      // No body GMS reads (none, or another media type): the request has no fields, as a Create without parameters.
      body = { fields: {}, files: [] };
    }
    ctx.state.body = body;
    await next();
  };
}

/** The body parsed by `bodyParser`. */
export function requestBody(ctx: Context): RequestBody {
  return (ctx.state.body as RequestBody | undefined) ?? { fields: {}, files: [] };
}
