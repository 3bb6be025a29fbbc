/** Accepts the legacy prefixes of the seeds' examples (`/gms-web/gms/1/`, `/GMS-web/gms/1/`) as `/genesys/1/`. */
import type { Context, Next } from 'koa';

const LEGACY = /^\/gms-web\/gms\/1(?=\/|$)/i;

/** Rewrites legacy paths before routing. */
export async function legacyPrefix(ctx: Context, next: Next): Promise<void> {
  if (LEGACY.test(ctx.path)) ctx.path = ctx.path.replace(LEGACY, '/genesys/1');
  await next();
}
