/**
 * The Redis connection of the redis backend: connecting with a deadline, so a node whose Redis cannot be reached
 * fails at start-up with a clear message instead of hanging, and the errors of a lost connection answered as 503.
 */
import {
  ClientClosedError,
  ClientOfflineError,
  ConnectionTimeoutError,
  createClient,
  ReconnectStrategyError,
  SocketClosedUnexpectedlyError,
} from '@redis/client';
import { Errors, type GmsError, gmsError } from '../errors.ts';
import type { Logger } from '../logger.ts';

/** The client type the engine uses (default modules, RESP2). */
export type RedisClient = ReturnType<typeof createClient>;

/** How long start-up waits for Redis by default. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

/** Longest pause between two reconnection attempts. */
const MAX_RECONNECT_DELAY_MS = 2000;

/** Seconds a client is told to wait (`Retry-After`) while Redis is unreachable. */
const RETRY_AFTER_SECONDS = 5;

/** Where to connect. */
export interface RedisConnectOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS). */
  url: string;
  /** Give up at start-up after this long (default 5 s). */
  connectTimeoutMs?: number;
  /** Where the loss and the return of the connection are logged. */
  log?: Logger;
}

/**
 * Connects, retrying until the deadline; once connected, a lost connection is retried for ever in the background
 * while commands fail at once (no offline queue), so requests are answered 503 instead of waiting.
 */
export async function connectRedis(options: RedisConnectOptions): Promise<RedisClient> {
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  let ready = false;
  let client: RedisClient;
  try {
    client = createClient({
      url: options.url,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: timeoutMs,
        reconnectStrategy: (retries, cause) => {
          const delay = Math.min(100 * 2 ** retries, MAX_RECONNECT_DELAY_MS);
          if (ready) return delay;
          const left = deadline - Date.now();
          return left > 0 ? Math.min(delay, left) : cause;
        },
      },
    });
  } catch (error) {
    throw unreachable(options.url, `the URL cannot be used (${describe(error)})`);
  }
  let lost = false;
  client.on('ready', () => {
    if (lost) options.log?.info('Redis connection restored', { url: redact(options.url) });
    ready = true;
    lost = false;
  });
  // Without a listener an 'error' event would end the process; callers see failures through their commands, and the
  // log says once that the connection is lost rather than once per reconnection attempt.
  client.on('error', (error: unknown) => {
    if (!ready || lost) return;
    lost = true;
    options.log?.warn('Redis connection lost; reconnecting', { url: redact(options.url), reason: describe(error) });
  });
  try {
    await client.connect();
  } catch (error) {
    if (client.isOpen) client.destroy();
    throw unreachable(options.url, `no connection within ${timeoutMs / 1000} s (${describe(error)})`);
  }
  return client;
}

/** A lost connection becomes a 503 STORAGE_UNAVAILABLE; any other error is returned unchanged. */
export function translateRedisError(error: unknown): unknown {
  const lost = [ClientOfflineError, ClientClosedError, SocketClosedUnexpectedlyError, ConnectionTimeoutError];
  if (!lost.some((kind) => error instanceof kind)) return error;
  return gmsError(
    Errors.STORAGE_UNAVAILABLE,
    { detail: 'the Redis server cannot be reached; retry later' },
    { 'Retry-After': String(RETRY_AFTER_SECONDS) },
  );
}

function unreachable(url: string, reason: string): GmsError {
  return gmsError(Errors.STORAGE_UNAVAILABLE, {
    detail: `cannot connect to Redis at ${redact(url)} ([storage] url): ${reason}`,
  });
}

/** The URL without its password, so it can be logged. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

/** A readable reason; connection errors of Node may be AggregateErrors with an empty message. */
function describe(error: unknown): string {
  const cause = error instanceof ReconnectStrategyError ? error.socketError : error;
  if (cause instanceof AggregateError && cause.errors.length > 0) return describe(cause.errors[0]);
  if (cause instanceof Error) return cause.message || (cause as NodeJS.ErrnoException).code || cause.name;
  return String(cause);
}
