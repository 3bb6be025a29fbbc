/**
 * Runs Lua scripts on Redis by SHA (EVALSHA), loading them on first use or after a server restart (NOSCRIPT), so a
 * hot path sends a 40-byte digest instead of the script text. Redis runs a script as one step: no other command runs
 * in between, which is what makes the atomic operations atomic across every node.
 */
import { createHash } from 'node:crypto';
import type { RedisClient } from './redis-client.ts';

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
    if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
    return client.eval(script.source, options);
  }
}
