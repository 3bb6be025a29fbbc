/** Runs a TypeScript file in a child Node process (through tsx), for tests that need a process to end or to die. */
import { spawn } from 'node:child_process';

/** How a child process ended. */
export interface ScriptResult {
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stdout and stderr, for failure messages. */
  output: string;
}

/** A child still running after this long is killed (SIGTERM), so a hang shows as a failure, not a stuck run. */
const HANG_LIMIT_MS = 15_000;

/** Runs `file` with `args` and resolves when the process has ended. */
export function runScript(file: string, args: string[]): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: HANG_LIMIT_MS,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, output }));
  });
}
