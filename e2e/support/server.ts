/**
 * Runs the built service (`dist/server/main.js`, snapshotted per run) as a child process on a
 * free port with a fresh database in a temp dir, the way an operator runs it, and reads what it prints.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SERVER_MAIN_ENV } from './globalSetup.js';
import { APP_HOST, AUTH_HOST, DEDICATED_RP_ID } from './hosts.js';
import { freePort, spawnCaptured } from './childProcess.js';

const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
/** The one-time link on its own line: an origin, optionally `/auth`, then five words joined by dots. */
const BOOTSTRAP_LINK = /^\s*(https?:\/\/[^\s/]+(?:\/auth)?\/[a-z]+(?:\.[a-z]+){4})\s*$/m;

export type ServerMode = 'multi-host' | 'dedicated';

/**
 * Changes to a mode's flags, for a server that sits behind something (a reverse proxy on
 * another port answers for it, so its origin is the proxy's).
 */
export interface ServerOptions {
  /** `--rp-id` instead of the mode's own. */
  rpId?: string;
  /** `--origin` values instead of the mode's own; the first becomes `authOrigin` and `appOrigin`. Multi-host mode only. */
  origins?: string[];
  /** More flags after the others, e.g. `['--trusted-proxy', '127.0.0.1']`. */
  flags?: string[];
}

export interface RunningServer {
  mode: ServerMode;
  port: number;
  /** Where the full UI lives: `http://localhost:PORT` (multi-host) or the auth host's origin. */
  authOrigin: string;
  /** An app host's origin; the same as {@link authOrigin} in multi-host mode. */
  appOrigin: string;
  /** The first administrator's one-time registration link, as printed at start. */
  bootstrapLink: string;
  /** Everything the process printed so far (stdout and stderr interleaved). */
  output(): string;
  stop(): Promise<void>;
}

/** The flags each mode runs with, for a server on `port`. */
function flagsFor(mode: ServerMode, port: number, options: ServerOptions): { flags: string[]; authOrigin: string; appOrigin: string } {
  const rpIdFlags = options.rpId ? ['--rp-id', options.rpId] : [];
  const extraFlags = options.flags ?? [];
  if (mode === 'multi-host') {
    const origins = options.origins ?? [`http://localhost:${port}`];
    if (origins.length === 0) throw new Error('ServerOptions.origins must name at least one origin');
    const flags = [...rpIdFlags, ...origins.flatMap((origin) => ['--origin', origin]), ...extraFlags];
    return { flags, authOrigin: origins[0]!, appOrigin: origins[0]! };
  }
  if (options.origins) throw new Error('ServerOptions.origins is for multi-host mode only');
  if (options.rpId) throw new Error('ServerOptions.rpId is for multi-host mode only');
  const authOrigin = `http://${AUTH_HOST}:${port}`;
  const appOrigin = `http://${APP_HOST}:${port}`;
  return {
    flags: ['--rp-id', DEDICATED_RP_ID, '--auth-host', `${AUTH_HOST}:${port}`, '--origin', authOrigin, '--origin', appOrigin, ...extraFlags],
    authOrigin,
    appOrigin,
  };
}

/**
 * The built server's entry point: the run's snapshot of the build (globalSetup.ts), else the build itself.
 * @throws when the build is missing
 */
export function serverMain(): string {
  const main = process.env[SERVER_MAIN_ENV] ?? resolve('dist/server/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run "npm run build" first`);
  return main;
}

/**
 * Starts the built server and resolves once it listens and has printed the bootstrap link
 * (every start on an empty database prints one).
 * @throws when the build is missing, or the process exits or stays silent instead.
 */
export async function startServer(mode: ServerMode, options: ServerOptions = {}): Promise<RunningServer> {
  const main = serverMain();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'passkey-auth-e2e-'));
  const { flags, authOrigin, appOrigin } = flagsFor(mode, port, options);
  // SIGTERM lets the server close its database cleanly; SIGKILL if it lingers.
  const { child, output, stop } = spawnCaptured(process.execPath, [main, '--listen', `127.0.0.1:${port}`, '--db', join(dir, 'db.sqlite'), ...flags], {
    dir,
    stopTimeoutMs: STOP_TIMEOUT_MS,
  });

  try {
    const bootstrapLink = await new Promise<string>((resolveLink, reject) => {
      const timer = setTimeout(() => reject(new Error(`server printed no "listening on" and bootstrap link in ${START_TIMEOUT_MS} ms:\n${output()}`)), START_TIMEOUT_MS);
      const check = () => {
        const link = /listening on/.test(output()) ? BOOTSTRAP_LINK.exec(output())?.[1] : undefined;
        if (!link) return;
        clearTimeout(timer);
        resolveLink(link);
      };
      child.stdout!.on('data', check);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`server exited (${code ?? signal}) before it was ready:\n${output()}`));
      });
    });
    return { mode, port, authOrigin, appOrigin, bootstrapLink, output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
