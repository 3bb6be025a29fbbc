/**
 * A listening server around an engine, with a graceful close: stop accepting, let in-flight requests finish (up to
 * the grace period), then close the engine (plugins, storage).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import { type StopWatching, watchConfig } from './config/config-watcher.ts';
import { Engine, type EngineOptions } from './engine.ts';

/** A running server. */
export interface RunningServer {
  readonly engine: Engine;
  readonly url: string;
  /** Closes gracefully; resolves when everything is closed. Calling it twice returns the same promise. */
  close(): Promise<void>;
}

/** Starts the engine and listens on `port` (0 picks a free one). */
export async function startServer(options: EngineOptions & { port?: number; host?: string }): Promise<RunningServer> {
  const engine = await Engine.start(options);
  const app = createApp(engine);
  const server = http.createServer(app.callback());
  const port = options.port ?? engine.config.server.port;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${options.host ?? 'localhost'}:${address.port}`;
  const stopWatching: StopWatching = watchConfig(
    engine.config.file,
    () => engine.reload(),
    (error) => engine.log.error('configuration reload failed', { error: String(error) }),
  );
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      stopWatching();
      const graceMs = engine.config.server.shutdown_grace_seconds * 1000;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(timer);
      await engine.close();
    })();
    return closing;
  };
  engine.onShutdownRequest(() => void close());
  return { engine, url, close };
}
