/**
 * Runs Lua scripts on Redis by SHA (EVALSHA), loading them on first use or after a server restart (NOSCRIPT), so a
 * hot path sends a 40-byte digest instead of the script text.
 */
import { createHash } from 'node:crypto';
import type { RedisClientType } from '@redis/client';

/** The client type the engine uses (default modules, RESP2). */
export type RedisClient = RedisClientType;

/** A Lua script and its SHA1 digest. */
export interface LuaScript {
  readonly source: string;
  readonly sha: string;
}

/** Declares a script once, at module load. */
export function luaScript(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/** Runs a script atomically on the server. */
export async function runScript(
  client: RedisClient,
  script: LuaScript,
  keys: string[],
  args: Array<string | number>,
): Promise<unknown> {
  const options = { keys, arguments: args.map(String) };
  try {
    return await client.evalSha(script.sha, options);
  } catch (error) {
    if (!String((error as Error).message).includes('NOSCRIPT')) throw error;
    return client.eval(script.source, options);
  }
}
