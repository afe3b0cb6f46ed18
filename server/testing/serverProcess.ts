/**
 * The `passkey-auth` command run from source in a child process, as an operator runs it: for
 * tests of what only a real process shows (signals, exit codes, the database after exit, commands).
 * The SPA must be built (`npm run build`). Each start costs seconds: give such tests {@link PROCESS_TEST_TIMEOUT_MS}.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../e2e/support/childProcess.js';
import { packageRoot } from '../packageRoot.js';

const MAIN = join(packageRoot(), 'server', 'main.ts');
/** Generous: starting through tsx takes seconds, and much longer on a busy machine. */
const START_TIMEOUT_MS = 60_000;
/** The one-time link's last path segment: five words joined by dots. */
const BOOTSTRAP_TOKEN = /^\s*https?:\/\/\S+\/([a-z]+(?:\.[a-z]+){4})\s*$/m;

/** A timeout for a test that starts a process or two. */
export const PROCESS_TEST_TIMEOUT_MS = 120_000;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface CommandProcess {
  child: ChildProcess;
  /** Everything printed so far, stdout and stderr interleaved. */
  output(): string;
  exited: Promise<Exit>;
}

export interface ServerProcess extends CommandProcess {
  port: number;
  /** The first administrator's link token, when the database had none with a passkey. */
  bootstrapToken: string | undefined;
}

/** Runs `passkey-auth ARGS` from source (through tsx), with `nodeArgs` (`--import` a probe, say) before it. */
export function runCommand(args: readonly string[], nodeArgs: readonly string[] = []): CommandProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ...nodeArgs, MAIN, ...args], { cwd: packageRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, exited };
}

/**
 * Starts the server on a free loopback port with the database `dbPath` (a file or a `postgres://`
 * URL); resolves once it listens (and, on a new database, has printed its bootstrap link).
 * @param firstStart whether to wait for the bootstrap link: by default when no such file exists
 *   (a PostgreSQL URL counts as new; pass false for a further instance on it)
 * @param nodeArgs node flags for the process, before the script
 * @throws when it exits or stays silent instead
 */
export async function startServerProcess(dbPath: string, flags: readonly string[] = [], { firstStart = !existsSync(dbPath), nodeArgs = [] as readonly string[] } = {}): Promise<ServerProcess> {
  const port = await freePort();
  const fresh = firstStart;
  const command = runCommand(['--listen', `127.0.0.1:${port}`, '--db', dbPath, ...flags], nodeArgs);
  const ready = () => command.output().includes('listening on') && (!fresh || BOOTSTRAP_TOKEN.test(command.output()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      command.child.kill('SIGKILL');
      reject(new Error(`server printed no "listening on" in ${START_TIMEOUT_MS} ms:\n${command.output()}`));
    }, START_TIMEOUT_MS);
    command.child.stdout!.on('data', () => {
      if (!ready()) return;
      clearTimeout(timer);
      resolve();
    });
    void command.exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${exit.code ?? exit.signal}) before it was ready:\n${command.output()}`));
    });
  });
  return { ...command, port, bootstrapToken: BOOTSTRAP_TOKEN.exec(command.output())?.[1] };
}
