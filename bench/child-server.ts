/** Starts a server script in a child process and waits for its "listening on <url>" line. */
import { type ChildProcess, spawn } from 'node:child_process';

/** A server running in a child process. */
export interface ChildServer {
  readonly url: string;
  readonly process: ChildProcess;
  /** Sends SIGTERM and waits for the exit. */
  stop(): Promise<void>;
}

/** Runs `node --import tsx <script> ...args` and resolves once it prints its URL. */
export function startChildServer(script: string, args: string[] = []): Promise<ChildServer> {
  return startServerCommand(process.execPath, ['--import', 'tsx', script, ...args]);
}

/** Runs `command ...args` (a server, or a launcher such as `npm start` that runs one) and resolves once it prints its URL. */
export function startServerCommand(command: string, args: string[]): Promise<ChildServer> {
  const commandLine = [command, ...args].join(' ');
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${commandLine} did not start in 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[^\s/]+)/.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      // Keep draining the pipes so a chatty server never blocks on a full pipe.
      child.stdout?.resume();
      const url = match[1];
      resolve({
        url,
        process: child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${commandLine} exited with ${code}:\n${output}`));
    });
  });
}
