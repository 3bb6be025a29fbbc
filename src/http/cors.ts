/** CORS for browser apps (web widgets), with origins from `[server] cors_origins`, read per request. */
import cors from '@koa/cors';
import type { Context, Middleware, Next } from 'koa';

/** CORS middleware; `allowedOrigins` returns the comma-separated list in force (`*` for any origin). */
export function corsMiddleware(allowedOrigins: () => string): Middleware {
  const handleCors = cors({
    origin: (ctx: Context) => {
      const request = ctx.get('Origin');
      const allowed = allowedOrigins()
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean);
      if (allowed.includes('*')) return request;
      return allowed.includes(request) ? request : '';
    },
    allowHeaders: ['Content-Type', 'Authorization', 'gms_user', 'X-Requested-With'],
    exposeHeaders: ['Retry-After', 'WWW-Authenticate'],
    credentials: true,
  });
  return function corsIfCrossOrigin(ctx: Context, next: Next) {
    // No Origin header: not a cross-origin browser request, so no CORS headers, only the Vary that @koa/cors would
    // add (caches must not serve this answer to a browser). Mobile apps and telephony scripts, most of the traffic,
    // skip the CORS machinery this way.
    if (ctx.get('Origin') === '') {
      ctx.vary('Origin');
      return next();
    }
    return handleCors(ctx, next);
  };
}
