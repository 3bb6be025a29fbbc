/** What admin handlers read from a request: the JSON body and the Basic-auth user who makes the change. */
import type { Context, Next } from 'koa';
import { koaBody } from 'koa-body';
import { Errors, gmsError } from '../errors.ts';

/** Parses a JSON body (at most `maxBodyBytes`); any other content type is refused with 415. */
export function jsonBody(maxBodyBytes: number) {
  const parse = koaBody({ json: true, urlencoded: false, text: false, multipart: false, jsonLimit: maxBodyBytes });
  return async function parseJson(ctx: Context, next: Next): Promise<void> {
    if (!ctx.is('application/json')) {
      throw gmsError(Errors.UNSUPPORTED_MEDIA_TYPE, {
        detail: 'Send the body as JSON, with the header Content-Type: application/json',
      });
    }
    await parse(ctx, next);
  };
}

/** The parsed JSON body, unchecked: the admin logic checks its shape. */
export function jsonOf(ctx: Context): unknown {
  return ctx.request.body;
}

/** The user `requireBasicAuth` let in, for the audit. */
export function adminUser(ctx: Context): string {
  return String(ctx.state.user ?? '');
}
