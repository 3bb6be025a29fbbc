/**
 * The one error middleware: every error becomes `{message, exception, code}` with the registry's status. Errors
 * thrown by libraries (body parsing, routing) are mapped to registry entries; anything unexpected is a 500 whose
 * body carries only a reference, never a stack or an internal message.
 */
import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';
import { Errors, GmsError, gmsError } from '../errors.ts';
import type { Logger } from '../logger.ts';

/** Maps a library error carrying an HTTP status to a registry error. */
function fromHttpError(status: number, message: string): GmsError | undefined {
  switch (status) {
    case 400:
      return gmsError(Errors.INVALID_BODY, { detail: message });
    case 413:
      return gmsError(Errors.BODY_TOO_LARGE, { detail: message });
    case 415:
      return gmsError(Errors.UNSUPPORTED_MEDIA_TYPE, { detail: message });
    default:
      return undefined;
  }
}

function asGmsError(error: unknown, log: Logger, ctx: Context): GmsError {
  if (error instanceof GmsError) return error;
  const status = (error as { status?: unknown }).status;
  // Body parsers mark client errors with a 4xx status (not always with `expose`); their messages are safe to show.
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const mapped = fromHttpError(status, (error as Error).message);
    if (mapped) return mapped;
  }
  const reference = randomUUID();
  log.error('unexpected error', {
    reference,
    method: ctx.method,
    path: ctx.path,
    error: error instanceof Error ? error.stack : String(error),
  });
  return gmsError(Errors.INTERNAL, { reference });
}

/** Creates the error middleware; it must be the outermost one. */
export function errorMiddleware(log: Logger) {
  return async function renderErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw gmsError(Errors.ROUTE_NOT_FOUND, { method: ctx.method, path: ctx.path });
      }
      if (ctx.status === 405 && ctx.body === undefined) {
        throw gmsError(Errors.METHOD_NOT_ALLOWED, {
          detail: `${ctx.method} is not allowed on ${ctx.path}; use ${ctx.response.get('Allow')}`,
        });
      }
    } catch (error) {
      const gms = asGmsError(error, log, ctx);
      ctx.status = gms.status;
      ctx.set(gms.headers);
      ctx.body = gms.toBody();
    }
  };
}
