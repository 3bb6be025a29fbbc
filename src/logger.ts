/** Structured log lines (one JSON object per line), so logs of several nodes can be merged and searched. */
import type { PluginLogger } from './plugin-api.ts';

/** The engine's logger; plugins get the same shape. */
export type Logger = PluginLogger;

/** Writes JSON lines to stdout (info) and stderr (warn, error). */
export function createLogger(nodeId: string): Logger {
  const write = (level: string, message: string, fields?: Record<string, unknown>) => {
    const line = `${JSON.stringify({ time: new Date().toISOString(), level, node: nodeId, message, ...fields })}\n`;
    (level === 'info' ? process.stdout : process.stderr).write(line);
  };
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}

/** A logger that keeps lines in memory, for tests that assert on what was logged. */
export function createMemoryLogger(): Logger & {
  lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }>;
} {
  const lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  return {
    lines,
    info: (message, fields) => lines.push({ level: 'info', message, fields }),
    warn: (message, fields) => lines.push({ level: 'warn', message, fields }),
    error: (message, fields) => lines.push({ level: 'error', message, fields }),
  };
}
