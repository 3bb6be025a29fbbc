/** CORS for browser apps (web widgets), with origins from `[server] cors_origins`, read per request. */
import cors from '@koa/cors';
import type { Context } from 'koa';

/** CORS middleware; `allowedOrigins` returns the comma-separated list in force (`*` for any origin). */
export function corsMiddleware(allowedOrigins: () => string) {
  return cors({
    origin: (ctx: Context) => {
      const request = ctx.get('Origin');
      // No Origin header: not a cross-origin browser request, so no CORS headers at all.
      if (request === '') return '';
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
}
