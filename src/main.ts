/**
 * The command line: `gms-engine [--config FILE] [--port N]` (also `GMS_CONFIG` and `PORT`). Starts the server,
 * prints its URL, and closes gracefully on SIGINT, SIGTERM or a SHUTDOWN request, exiting 0.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from './config/config-error.ts';
import { createLogger } from './logger.ts';
import { startServer } from './server.ts';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { config: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } },
    allowPositionals: false,
  });
  const configFile = values.config ?? process.env.GMS_CONFIG ?? 'config.example.ini';
  const portText = values.port ?? process.env.PORT;
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    process.stderr.write(`--port must be an integer from 0 to 65535, got ${portText}\n`);
    return 2;
  }
  const logger = createLogger(process.env.GMS_NODE_ID ?? 'gms-engine');
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({ configFile, logger, port, host: values.host });
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    return 1;
  }
  process.stdout.write(
    `gms-engine listening on ${server.url}/genesys/1/ (config ${server.engine.config.file}, storage ${server.engine.storage.kind})\n`,
  );
  const stop = new Promise<void>((resolve) => {
    const shutdown = () => {
      logger.info('shutting down');
      server.close().then(resolve, (error: unknown) => {
        logger.error('shutdown failed', { error: String(error) });
        resolve();
      });
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
    server.engine.onShutdownRequest(shutdown);
  });
  await stop;
  return 0;
}

process.exitCode = await main();
