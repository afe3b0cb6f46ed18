/**
 * The servers under load, each a child process on 127.0.0.1 and a free port, pinned
 * to CPU 0 when pinning: a bare node:http 204 server (the baseline) and the built
 * server, once per database.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ROOT } from './build.js';
import type { SeededDatabase } from './seed.js';
import { Fatal, stopChild, type Bench } from './workspace.js';

/**
 * The environment the Dockerfile's final stage sets (its `ENV` instructions, continued lines
 * joined), so that the benchmark runs the server as the container does.
 */
export function containerEnv(dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')): Record<string, string> {
  const runStage = dockerfile.split(/^FROM\s/m).at(-1)!.replace(/\\\r?\n/g, ' ');
  const env: Record<string, string> = {};
  for (const [, pairs] of runStage.matchAll(/^\s*ENV\s+(.*)$/gm)) {
    for (const [, key, quoted, bare] of pairs!.matchAll(/([A-Za-z_]\w*)=(?:"([^"]*)"|(\S*))/g)) env[key!] = quoted ?? bare!;
  }
  return env;
}

/**
 * The node flags the container runs the server with (the Dockerfile's `NODE_OPTIONS`), so that
 * the figures, memory above all, are those of the server as shipped; none when it sets none.
 */
export function containerNodeFlags(env = containerEnv()): string[] {
  return (env.NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean);
}

/**
 * The rest of the container's environment the server runs with (MALLOC_ARENA_MAX, NODE_ENV):
 * all but NODE_OPTIONS, given as flags before any `--node-arg`, and the PASSKEY_AUTH_* settings,
 * which the benchmark's own flags replace.
 */
export function containerRuntimeEnv(env = containerEnv()): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([key]) => key !== 'NODE_OPTIONS' && !key.startsWith('PASSKEY_AUTH_')));
}

export interface RunningServer {
  label: string;
  port: number;
  pid: number;
  alive(): boolean;
  /** The last 8,000 characters it wrote to stderr. */
  stderr(): string;
  stop(): Promise<void>;
}

// Answers a bare 204 to anything; a URL ending in `&with=headers` gets the ten headers a
// forward answer carries (same names, values of the same length), to separate header cost.
const BASELINE_SOURCE = `
const { createServer } = require('node:http');
const { randomUUID } = require('node:crypto');
const headers = [
  'Remote-User', randomUUID(), 'Remote-Name', 'Admin', 'Remote-Org', randomUUID(), 'Remote-Org-Name', 'Main organisation',
  'Remote-Role', randomUUID(), 'Remote-Role-Name', 'Administrator', 'Remote-Groups', 'app:read,auth:admin',
  'Remote-Session-Expires', new Date().toISOString(), 'Remote-Credential', randomUUID(), 'Cache-Control', 'no-store',
];
const server = createServer((req, res) => {
  if (req.url.endsWith('&with=headers')) res.writeHead(204, headers);
  else res.writeHead(204);
  res.end();
});
server.keepAliveTimeout = 65000;
server.listen(Number(process.argv[1]), '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => process.exit(0));
`;

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

/** Spawns `node nodeArgs` (pinned to CPU 0 when pinning) with `env` added to ours; resolves once its stdout matches `ready`. */
function startChild({ options, workspace }: Bench, label: string, nodeArgs: string[], ready: RegExp, env: Record<string, string> = {}): Promise<Omit<RunningServer, 'port'>> {
  const command = options.pin ? ['taskset', '-c', '0', process.execPath] : [process.execPath];
  const child = workspace.spawn(command[0]!, [...command.slice(1), ...nodeArgs], ROOT, { ...process.env, ...env });
  let stdout = '';
  let stderr = '';
  let isReady = false;
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-8000)));
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Fatal(`${label} did not start within 30 s\n${stderr}`)), 30_000);
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      // Denied forward decisions are logged to stdout: keep draining it, keep only the start.
      if (isReady) return;
      stdout += text;
      if (ready.test(stdout)) {
        isReady = true;
        clearTimeout(timer);
        resolveStart({
          label,
          pid: child.pid!,
          alive: () => child.exitCode === null && child.signalCode === null,
          stderr: () => stderr,
          stop: () => stopChild(child),
        });
      }
    });
    child.once('exit', (code, signal) => {
      if (!isReady) {
        clearTimeout(timer);
        reject(new Fatal(`${label} exited before it was ready (${signal ?? `code ${code}`})\n${stdout}${stderr}`));
      }
    });
  });
}

/** Starts servers with --cpu-prof into `dir` (when given) and remembers the profile files they will write on exit. */
export class Profiler {
  readonly files: string[] = [];

  constructor(readonly dir: string | null) {
    if (dir) mkdirSync(dir, { recursive: true });
  }

  /** node flags that write a CPU profile of the server named `label`, or none. */
  args(label: string): string[] {
    if (!this.dir) return [];
    const profileName = `${label}.${Date.now()}.cpuprofile`;
    this.files.push(join(this.dir, profileName));
    return ['--cpu-prof', '--cpu-prof-dir', this.dir, '--cpu-prof-name', profileName];
  }
}

export async function startBaseline(bench: Bench, profiler: Profiler): Promise<RunningServer> {
  const port = await freePort();
  const server = await startChild(bench, 'baseline node:http server', [...profiler.args('baseline'), '-e', BASELINE_SOURCE, String(port)], /ready/);
  return { ...server, port };
}

/** The built server (dist/) on `db`, run as the container runs it, with the forward log at its default (denied only) and `flags` added. */
export async function startAuthServer(bench: Bench, profiler: Profiler, db: SeededDatabase, label: string, flags: readonly string[] = []): Promise<RunningServer> {
  const port = await freePort();
  const args = [...containerNodeFlags(), ...bench.options.nodeArgs, ...profiler.args(label), 'dist/server/main.js', '--listen', `127.0.0.1:${port}`, '--db', db.path, '--origin', `http://localhost:${port}`, ...flags];
  const server = await startChild(bench, `passkey-auth (${label})`, args, /listening on /, containerRuntimeEnv());
  return { ...server, port };
}
