/**
 * What the benchmark leaves behind while it runs: a temporary directory (databases,
 * wrk scripts) and child processes (servers, wrk). Both go away on exit, on a signal
 * or on an error.
 */
import { spawn, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { BenchOptions } from './options.js';

/** What every step of a run needs: the options and the workspace. */
export interface Bench {
  options: BenchOptions;
  workspace: Workspace;
}

/** A failure the benchmark explains itself: its message is printed without a stack. */
export class Fatal extends Error {}

const isRunning = (child: ChildProcess): boolean => child.exitCode === null && child.signalCode === null;

/** SIGTERM, then SIGKILL after 10 s; resolves once the process has exited. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (!isRunning(child)) return Promise.resolve();
  return new Promise((done) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      done();
    });
    child.kill('SIGTERM');
  });
}

export class Workspace {
  /** The temporary directory, deleted on exit. */
  readonly dir = mkdtempSync(join(tmpdir(), 'passkey-auth-bench-'));
  readonly #children = new Set<ChildProcess>();
  readonly #cleanups: (() => void)[] = [];
  #cleanedUp = false;

  /** Creates the directory and removes it (and kills the children) however the process ends. */
  constructor() {
    process.on('exit', () => this.cleanupSync());
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.on(signal, () => {
        process.stderr.write(`\nbench: ${signal}, stopping\n`);
        this.cleanupSync();
        process.exit(130);
      });
    }
  }

  /** Spawns a child with piped stdout and stderr that is killed if still running when the benchmark ends. */
  spawn(command: string, args: readonly string[], cwd?: string, env?: NodeJS.ProcessEnv): ChildProcessByStdio<null, Readable, Readable> {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.#children.add(child);
    child.once('exit', () => this.#children.delete(child));
    return child;
  }

  /** Runs `cleanup` (synchronous, e.g. stopping a database cluster) when the benchmark ends, however it ends. */
  onCleanup(cleanup: () => void): void {
    this.#cleanups.push(cleanup);
  }

  /** Stops every child still running, politely (see stopChild). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.#children].map((child) => stopChild(child)));
  }

  cleanupSync(): void {
    if (this.#cleanedUp) return;
    this.#cleanedUp = true;
    for (const child of this.#children) if (isRunning(child)) child.kill('SIGKILL');
    for (const cleanup of this.#cleanups.splice(0).reverse()) {
      try {
        cleanup();
      } catch (error) {
        process.stderr.write(`bench: cleanup failed: ${(error as Error).message}\n`);
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
