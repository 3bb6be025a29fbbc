/** Basic authentication for admin endpoints: 401 with a `WWW-Authenticate: Basic` challenge when it fails. */
import { timingSafeEqual } from 'node:crypto';
import type { Context, Next } from 'koa';
import { Errors, gmsError } from '../errors.ts';

/** The credentials in force (read per request, so a live configuration change applies at once). */
export interface Credentials {
  readonly username: string;
  readonly password: string;
}

const CHALLENGE = { 'WWW-Authenticate': 'Basic realm="gms-engine", charset="UTF-8"' };

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Parses an `Authorization: Basic ...` header. */
export function parseBasicAuth(header: string | undefined): Credentials | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Why a request is refused, as a hint of what to fix, or undefined when its credentials are the configured ones.
 * A wrong user name and a wrong password read the same, so the answer never tells which one was right.
 */
function refusalOf(expected: Credentials, given: Credentials | undefined): string | undefined {
  if (expected.password === '') {
    return 'the admin API is disabled until [server] password is set in the configuration';
  }
  if (given === undefined) return 'send the [server] username and password as Basic credentials';
  const valid = sameText(given.username, expected.username) && sameText(given.password, expected.password);
  return valid ? undefined : 'the user name or password is wrong; use the [server] username and password';
}

/** Middleware that requires the configured credentials; with no password configured every request is refused. */
export function requireBasicAuth(credentials: () => Credentials) {
  return async function basicAuth(ctx: Context, next: Next): Promise<void> {
    const expected = credentials();
    const given = parseBasicAuth(ctx.get('authorization'));
    const refusal = refusalOf(expected, given);
    if (refusal) throw gmsError(Errors.UNAUTHORIZED, { detail: refusal }, CHALLENGE);
    ctx.state.user = expected.username;
    await next();
  };
}
