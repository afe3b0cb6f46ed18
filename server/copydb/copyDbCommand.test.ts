/**
 * `passkey-auth copy-db` as an operator runs it: a database filled through the real app (passkeys,
 * sessions, organisations, an OpenID Connect app with a grant) copied into a throw-away PostgreSQL,
 * every row compared, then the real server started on PostgreSQL signs the same passkeys in; and
 * its answers to mistakes, each its own case.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../db/database.js';
import { bootstrap } from '../bootstrap/bootstrap.js';
import { startPostgres, createTestDatabase, testPostgresUrl, type PostgresCluster, type TestPostgresDatabase } from '../testing/postgres.js';
import { PROCESS_TEST_TIMEOUT_MS, runCommand, startServerProcess, type ServerProcess } from '../testing/serverProcess.js';
import { api, authenticate, onboard, signIn, startWithAdmin } from '../testing/flows.js';
import { SoftAuthenticator } from '../testing/softAuthenticator.js';
import { AUTH_PAGE, ISSUER, OIDC_SERVER_FLAGS, relyingParty, signInToApp } from '../testing/oidcFlows.js';
import { viaTestServer } from '../testing/viaTestServer.js';
import { freePort } from '../testing/testServer.js';
import { copyDbCommand } from './copyDbCommand.js';
import type { AdminMe, Page, UserSummary } from '../../shared/admin.js';

// The source is an SQLite file whatever the run tests: the suite runs once, in the SQLite run,
// on a PostgreSQL cluster of its own.
const inPostgresRun = testPostgresUrl() !== null;

let dir: string;
let cluster: PostgresCluster;
const targets: TestPostgresDatabase[] = [];
const servers: ServerProcess[] = [];

beforeAll(async () => {
  if (inPostgresRun) return;
  dir = mkdtempSync(join(tmpdir(), 'passkey-auth-copy-db-'));
  cluster = await startPostgres();
}, PROCESS_TEST_TIMEOUT_MS);
afterAll(async () => {
  if (inPostgresRun) return;
  for (const server of servers) server.child.kill('SIGKILL');
  for (const target of targets) await target.drop();
  cluster.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A new empty PostgreSQL database's URL, with a password added: trust ignores it, and no output may show it. */
async function emptyTarget(): Promise<string> {
  const target = await createTestDatabase(cluster.url);
  targets.push(target);
  const url = new URL(target.url);
  url.password = PASSWORD;
  return url.href;
}
const PASSWORD = 'hunter2-secret';

/** A small Passkey Auth database: the first start's organisation, roles and admin (without a passkey). */
async function bootstrappedFile(name: string): Promise<string> {
  const path = join(dir, name);
  const database = await openDatabase(path);
  await bootstrap(database.db, Date.now());
  await database.close();
  return path;
}

/** Runs the command in this process; its exit code and what it wrote to stderr. */
async function copyDb(args: string[]): Promise<{ code: number; stderr: string }> {
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    const code = await copyDbCommand(args);
    return { code, stderr: stderr.mock.calls.map(([chunk]) => String(chunk)).join('') };
  } finally {
    stderr.mockRestore();
    stdout.mockRestore();
  }
}

/** Rows of every table of the target, through the service's own PostgreSQL path. */
async function targetRows(url: string, tables: readonly string[]): Promise<Map<string, string[]>> {
  const target = await openDatabase(url);
  try {
    const rows = new Map<string, string[]>();
    for (const table of tables) rows.set(table, comparable(await target.db.selectFrom(table as 'users').selectAll().execute()));
    return rows;
  } finally {
    await target.close();
  }
}

function sourceRows(path: string): Map<string, string[]> {
  const sqlite = new BetterSqlite3(path, { readonly: true });
  try {
    const tables = sqlite.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_migration%'`).pluck().all() as string[];
    return new Map(tables.map((table) => [table, comparable(sqlite.prepare(`select * from "${table}"`).all() as object[])]));
  } finally {
    sqlite.close();
  }
}

/** Rows as sorted JSON, bytes as hex: equal when both sides hold the same values, bytes as bytes. */
function comparable(rows: readonly object[]): string[] {
  const bytesAsHex = (_key: string, value: unknown) =>
    value && typeof value === 'object' && (value as { type?: string }).type === 'Buffer' ? `bytes:${Buffer.from((value as { data: number[] }).data).toString('hex')}` : value;
  return rows.map((row) => JSON.stringify(Object.fromEntries(Object.entries(row).sort(([a], [b]) => a.localeCompare(b))), bytesAsHex)).sort();
}

/** A database in use, filled through the real app: what copy-db must carry over. */
async function filledThroughTheApp() {
  const admin = new SoftAuthenticator();
  const app = await startWithAdmin(OIDC_SERVER_FLAGS, admin, AUTH_PAGE);
  const adminCookie = await signIn(app.port, admin, AUTH_PAGE);
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await api(app.port, method, `/auth/api/admin${path}`, { host: AUTH_PAGE.host, cookie: adminCookie, origin: AUTH_PAGE.origin, body });
    expect(response.status, response.body).toBeLessThan(300);
    return response.body ? JSON.parse(response.body) : undefined;
  };
  const permission = await call('POST', '/permissions', { scope: 'wiki:read', displayName: 'Read the wiki' });
  const lab = await call('POST', '/orgs', { displayName: 'Lab' });
  await call('PUT', `/orgs/${lab.id}/permissions/${permission.id}`);
  const readers = await call('POST', `/orgs/${lab.id}/roles`, { displayName: 'Readers' });
  await call('PUT', `/roles/${readers.id}/permissions/${permission.id}`);
  const grace = await onboard(app.port, AUTH_PAGE, adminCookie, { displayName: 'Grace Hopper', orgId: lab.id, roleId: readers.id, email: 'grace@example.com', username: 'grace' });
  const pending = await call('POST', '/users', { displayName: 'Not yet registered', orgId: lab.id });
  await call('POST', `/users/${pending.id}/link`);
  await authenticate(app.port, admin, AUTH_PAGE); // an exchange code, never redeemed
  const me = (await call('GET', '/me')) as AdminMe;
  const party = await relyingParty(app, me.org.id);
  const { tokens } = await signInToApp(app, party.config, adminCookie);
  const location = app.deps.config.database;
  if (location.kind !== 'sqlite') throw new Error('the source must be an SQLite file');
  return { app, path: location.path, admin, adminId: me.user.id, grace, labId: lab.id, party, refreshToken: tokens.refresh_token! };
}

describe.skipIf(inPostgresRun)('passkey-auth copy-db', () => {
  it('copies a database in use into PostgreSQL, row for row, and the service on PostgreSQL signs the same passkeys in', async () => {
    const source = await filledThroughTheApp();
    let running = true;
    try {
      // Copied while the service still runs: the copy is of one consistent moment.
      const target = await emptyTarget();
      const copy = runCommand(['copy-db', '--from', source.path, '--to', target]);
      expect(await copy.exited, copy.output()).toEqual({ code: 0, signal: null });
      const output = copy.output();
      expect(output).not.toContain(PASSWORD);
      expect(output).toMatch(/^passkey-auth copy-db: copied \S+ to postgres:\/\/passkey_auth:\*\*\*@127\.0\.0\.1:\d+\/t_[0-9a-f]+ in \d+ ms; rows per table, counted on both sides:\n/);

      // Every table of the source is in the report with its row count, and every row arrived as it was.
      const rows = sourceRows(source.path);
      const reported = new Map([...output.matchAll(/^ {2}(\w+) +(\d+)$/gm)].map(([, table, count]) => [table!, Number(count)]));
      expect([...reported.keys()].sort()).toEqual([...rows.keys()].sort());
      for (const [table, tableRows] of rows) expect(reported.get(table), table).toBe(tableRows.length);
      for (const table of ['credentials', 'sessions', 'reset_tokens', 'exchange_codes', 'audit_log', 'role_permissions', 'oidc_clients', 'oidc_client_secrets', 'oidc_grants', 'oidc_refresh_tokens', 'oidc_signing_keys']) {
        expect(rows.get(table)!.length, `the source has no ${table}`).toBeGreaterThan(0);
      }
      const copied = await targetRows(target, [...rows.keys()]);
      for (const [table, tableRows] of rows) expect(copied.get(table), table).toEqual(tableRows);
      await source.app.close();
      running = false;

      // The service on PostgreSQL: no first-start link (an admin has a passkey), and the same passkeys sign in.
      const server = await startServerProcess(target, OIDC_SERVER_FLAGS, { firstStart: false });
      servers.push(server);
      expect(server.bootstrapToken).toBeUndefined();
      const cookie = await signIn(server.port, source.admin, AUTH_PAGE);
      const call = (method: string, path: string, body?: unknown) => api(server.port, method, `/auth/api/admin${path}`, { host: AUTH_PAGE.host, cookie, origin: AUTH_PAGE.origin, body });
      const found = JSON.parse((await call('GET', '/users?q=grace')).body) as Page<UserSummary>;
      expect(found.items.map((user) => user.username)).toEqual(['grace']);
      await signIn(server.port, source.grace.key, AUTH_PAGE);
      // Its audit entry takes an id after the copied ones: the identity sequence has moved on.
      const created = await call('POST', '/users', { displayName: 'After the move', orgId: source.labId });
      expect(created.status, created.body).toBe(201);

      // The app's refresh token still works, and the new ID token verifies with the copied signing key.
      const options = { execute: [oidc.enableNonRepudiationChecks], [oidc.customFetch]: viaTestServer(server.port) };
      const moved = await oidc.discovery(new URL(ISSUER), source.party.clientId, undefined, oidc.ClientSecretBasic(source.party.secret!), options);
      const refreshed = await oidc.refreshTokenGrant(moved, source.refreshToken);
      expect(refreshed.claims()?.sub).toBe(source.adminId);
    } finally {
      if (running) await source.app.close();
    }
  }, PROCESS_TEST_TIMEOUT_MS);

  it('answers wrong options with the usage hint and exit code 2, before touching anything', async () => {
    const cases: [string[], string | RegExp][] = [
      [['--to', 'postgres://u@h/d'], 'passkey-auth copy-db: copy-db needs --from FILE: the SQLite database to copy\nRun "passkey-auth copy-db --help" for the options.\n'],
      [['--from', 'a.sqlite'], 'passkey-auth copy-db: copy-db needs --to URL: the PostgreSQL database to copy into\nRun "passkey-auth copy-db --help" for the options.\n'],
      [['--from', 'a.sqlite', '--to', 'b.sqlite'], /^passkey-auth copy-db: --to must be a postgres:\/\/ URL, got "b\.sqlite" \(to copy the SQLite file to another file, use passkey-auth backup\)\n/],
      [['--from', 'a.sqlite', '--to', `postgres://u:${PASSWORD}@h:5432/`], /^passkey-auth copy-db: --to expects postgres:\/\/USER:PASSWORD@HOST\[:PORT\]\/DATABASE: name one database after the host, got "postgres:\/\/u:\*\*\*@h:5432\/"\n/],
      [['--from', 'a.sqlite', '--to', 'postgres://u@h/d', '--force'], /^passkey-auth copy-db: Unknown option '--force'/],
    ];
    for (const [args, expected] of cases) {
      const { code, stderr } = await copyDb(args);
      expect(code, args.join(' ')).toBe(2);
      if (typeof expected === 'string') expect(stderr).toBe(expected);
      else expect(stderr).toMatch(expected);
    }
  });

  it('refuses a missing file, without creating one', async () => {
    const missing = join(dir, 'missing.sqlite');
    expect(await copyDb(['--from', missing, '--to', await emptyTarget()])).toEqual({ code: 1, stderr: `passkey-auth copy-db: no database at ${missing}\n` });
    expect(existsSync(missing)).toBe(false);
  });

  it('refuses a file that is not a database, and an SQLite database that is not Passkey Auth\'s', async () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'no database at all, though long enough to have a header '.repeat(4));
    expect(await copyDb(['--from', text, '--to', await emptyTarget()])).toEqual({ code: 1, stderr: `passkey-auth copy-db: ${text} is not an SQLite database\n` });
    const other = join(dir, 'other.sqlite');
    new BetterSqlite3(other).exec('create table things (id integer)').close();
    expect(await copyDb(['--from', other, '--to', await emptyTarget()])).toEqual({
      code: 1, stderr: `passkey-auth copy-db: ${other} is an SQLite database, but not Passkey Auth's (it has no kysely_migration table)\n`,
    });
  });

  it('refuses a database from a newer version, and leaves the file as it was', async () => {
    const path = await bootstrappedFile('newer.sqlite');
    const sqlite = new BetterSqlite3(path);
    sqlite.prepare(`insert into kysely_migration (name, timestamp) values ('999_from_the_future', '2030-01-01T00:00:00.000Z')`).run();
    sqlite.close();
    const target = await emptyTarget();
    expect(await copyDb(['--from', path, '--to', target])).toEqual({
      code: 1, stderr: `passkey-auth copy-db: ${path} was last used by a newer version of Passkey Auth (its migration 999_from_the_future is unknown to this one): copy it with that version\n`,
    });
    const after = new BetterSqlite3(path, { readonly: true });
    expect(after.prepare(`select count(*) from kysely_migration where name = '999_from_the_future'`).pluck().get()).toBe(1);
    after.close();
  });

  it('refuses a target that already holds data, and leaves it as it was', async () => {
    const path = await bootstrappedFile('twice.sqlite');
    const target = await emptyTarget();
    expect((await copyDb(['--from', path, '--to', target])).code).toBe(0);
    const before = await targetRows(target, ['users', 'orgs']);
    const { code, stderr } = await copyDb(['--from', path, '--to', target]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^passkey-auth copy-db: postgres:\/\/passkey_auth:\*\*\*@127\.0\.0\.1:\d+\/t_[0-9a-f]+ already holds data \(.*users: 1.*\): copy-db fills an empty database only \(drop and create it again, or name another\)\n$/);
    expect(await targetRows(target, ['users', 'orgs'])).toEqual(before);
  });

  it('says which PostgreSQL it cannot reach, without its password', async () => {
    const path = await bootstrappedFile('unreachable.sqlite');
    const port = await freePort();
    const { code, stderr } = await copyDb(['--from', path, '--to', `postgres://passkey:${PASSWORD}@127.0.0.1:${port}/passkey_auth`]);
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`^passkey-auth copy-db: cannot open postgres://passkey:\\*\\*\\*@127\\.0\\.0\\.1:${port}/passkey_auth: .*ECONNREFUSED`));
    expect(stderr).not.toContain(PASSWORD);
  });

  it('refuses when the file has a table Passkey Auth does not, rather than leave it behind', async () => {
    const path = await bootstrappedFile('extra.sqlite');
    new BetterSqlite3(path).exec('create table notes (id text primary key, body text)').close();
    const target = await emptyTarget();
    const { code, stderr } = await copyDb(['--from', path, '--to', target]);
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`^passkey-auth copy-db: the two databases' tables differ \\(only ${path} has notes\\): copy-db copies Passkey Auth's tables and nothing else\n$`));
    expect(await targetRows(target, ['orgs'])).toEqual(new Map([['orgs', []]]));
  });

  it('writes nothing when a row cannot be copied: one transaction for every table', async () => {
    const path = await bootstrappedFile('unstorable.sqlite');
    // SQLite stores a NUL character in text; PostgreSQL's text cannot hold one.
    new BetterSqlite3(path).prepare(`update users set display_name = ?`).run('Ad\u0000min');
    const target = await emptyTarget();
    const { code, stderr } = await copyDb(['--from', path, '--to', target]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^passkey-auth copy-db: copying table users failed, nothing was written to postgres:\/\/passkey_auth:\*\*\*@\S+: .*0x00/);
    // orgs and roles were copied before users, and are gone with the rest.
    expect(await targetRows(target, ['orgs', 'roles', 'users'])).toEqual(new Map([['orgs', []], ['roles', []], ['users', []]]));
  });
});
