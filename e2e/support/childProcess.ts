/** Child processes the e2e tests run (the service, reverse proxies) and the ports they listen on. */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';

/** A port nobody listens on right now: the OS picks one for a throwaway listener. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface CapturedProcess {
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr interleaved). */
  output(): string;
  /** Stops the process (SIGTERM, then SIGKILL after the grace period) and removes its temp dir. */
  stop(): Promise<void>;
}

export interface CaptureOptions {
  /** The process's temp dir, removed by `stop`. */
  dir: string;
  /** How long SIGTERM may take before SIGKILL. */
  stopTimeoutMs: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Spawns `command`, collecting its output. */
export function spawnCaptured(command: string, args: readonly string[], options: CaptureOptions): CapturedProcess {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return {
    child,
    output: () => output,
    stop: async () => {
      await stopProcess(child, options.stopTimeoutMs);
      rmSync(options.dir, { recursive: true, force: true });
    },
  };
}

function stopProcess(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(killer);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}
