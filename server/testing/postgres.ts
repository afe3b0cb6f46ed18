/**
 * A throw-away PostgreSQL for tests: Debian's binaries (`scripts/system-deps.sh` installs them),
 * a cluster in a temp dir on a free loopback port, trusting local connections, stopped and
 * removed at the end; and a fresh empty database per test server on it.
 *
 * Running the database suites on PostgreSQL: `PASSKEY_AUTH_TEST_DB=postgres npx vitest run FILES`
 * (vitest's global setup, postgresGlobalSetup.ts, starts one cluster for the run), or
 * `PASSKEY_AUTH_TEST_DB=postgres://USER@HOST:PORT/postgres` to use a server of your own (a user
 * allowed to create databases). `npm test` does the former after the SQLite run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { freePort } from '../../e2e/support/childProcess.js';

/** The environment variable naming the test database: unset (SQLite), `postgres` (start one), or a server's URL. */
export const TEST_DB_ENV = 'PASSKEY_AUTH_TEST_DB';
const POSTGRES_LIBS = '/usr/lib/postgresql';
const SUPERUSER = 'passkey_auth';
/** Every test server's pool may hold 10 connections, and Vitest runs files in parallel. */
const MAX_CONNECTIONS = 400;

export interface PostgresCluster {
  /** URL of the cluster's `postgres` database, as its superuser (no password: trust on loopback). */
  url: string;
  /** Shuts the server down (fast: open connections are ended), keeping its data, for tests of an outage. */
  halt(): void;
  /** Starts a halted server again, on the same port with the same data. */
  resume(): void;
  stop(): void;
}

/** The newest PostgreSQL's bin directory under Debian's layout, or null when none is installed. */
export function postgresBinaries(): string | null {
  if (!existsSync(POSTGRES_LIBS)) return null;
  const versions = readdirSync(POSTGRES_LIBS).filter((name) => existsSync(join(POSTGRES_LIBS, name, 'bin', 'initdb')));
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  return newest === undefined ? null : join(POSTGRES_LIBS, newest, 'bin');
}

/**
 * Creates and starts a cluster. initdb refuses to run as root, so as root the cluster belongs
 * to the `postgres` user (runuser); otherwise to whoever runs the tests.
 * @throws when PostgreSQL is not installed or does not start
 */
export async function startPostgres(): Promise<PostgresCluster> {
  const bin = postgresBinaries();
  if (!bin) throw new Error(`PostgreSQL is not installed (no ${POSTGRES_LIBS}/*/bin/initdb): run scripts/system-deps.sh`);
  const dir = mkdtempSync(join(tmpdir(), 'passkey-auth-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  const run = (tool: string, args: string[]) => {
    const [command, fullArgs] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
    const result = spawnSync(command, fullArgs, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${tool} failed (${result.status ?? result.signal}): ${result.stderr || result.stdout}`);
  };
  const data = join(dir, 'data');
  const port = await freePort();
  // C collation: text sorts by code point, as in SQLite, so both backends list names alike.
  run('initdb', ['-D', data, '-A', 'trust', '-U', SUPERUSER, '--no-locale', '-E', 'UTF8', '--no-sync']);
  // A test cluster need not survive a crash: no fsync makes creating databases and committing fast.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=${MAX_CONNECTIONS} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const start = () => run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
  start();
  return {
    url: `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`,
    halt: () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']),
    resume: start,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export interface TestPostgresDatabase {
  /** The new database's URL, for `--db`. */
  url: string;
  /** Drops it (closing any connections still open to it). */
  drop(): Promise<void>;
}

/** Creates an empty database `t_<random>` on the cluster at `clusterUrl`. */
export async function createTestDatabase(clusterUrl: string): Promise<TestPostgresDatabase> {
  const name = `t_${randomBytes(8).toString('hex')}`;
  await onCluster(clusterUrl, `create database ${name}`);
  const url = new URL(clusterUrl);
  url.pathname = `/${name}`;
  return { url: url.href, drop: () => onCluster(clusterUrl, `drop database if exists ${name} with (force)`) };
}

async function onCluster(clusterUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: clusterUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** The cluster the tests run against, when `PASSKEY_AUTH_TEST_DB` names one (the global setup sets it); else null (SQLite). */
export function testPostgresUrl(): string | null {
  const value = process.env[TEST_DB_ENV];
  return value && /^postgres(ql)?:\/\//.test(value) ? value : null;
}
