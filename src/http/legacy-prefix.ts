/** Accepts the legacy prefixes of the seeds' examples (`/gms-web/gms/1/`, `/GMS-web/gms/1/`) as `/genesys/1/`. */
import type { Context, Next } from 'koa';

const LEGACY = /^\/gms-web\/gms\/1(?=\/|$)/i;
const CURRENT = '/genesys/';

/** Rewrites legacy paths before routing. */
export function legacyPrefix(ctx: Context, next: Next): Promise<void> {
  // Most requests use the current prefix; they skip the case-insensitive match.
  if (!ctx.path.startsWith(CURRENT) && LEGACY.test(ctx.path)) ctx.path = ctx.path.replace(LEGACY, '/genesys/1');
  return next();
}
