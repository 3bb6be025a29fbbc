/**
 * Live reload: polls the configuration file (every 500 ms, so a change applies well within 2 seconds, and editors
 * that replace the file by renaming are seen too) and asks the engine to re-read it. Reloads never overlap.
 */
import { unwatchFile, watchFile } from 'node:fs';

/** Stops watching. */
export type StopWatching = () => void;

/** Calls `reload` whenever the file's modification time or size changes. */
export function watchConfig(
  file: string,
  reload: () => Promise<unknown>,
  onError: (error: unknown) => void,
): StopWatching {
  let running: Promise<unknown> = Promise.resolve();
  const listener = () => {
    running = running.then(reload).catch(onError);
  };
  watchFile(file, { interval: 500, persistent: false }, (current, previous) => {
    if (current.mtimeMs !== previous.mtimeMs || current.size !== previous.size) listener();
  });
  return () => unwatchFile(file);
}
