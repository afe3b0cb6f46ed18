/**
 * `passkey-auth backup` as an operator runs it: against the real service under write load, then
 * a restore (a second service started on the copy); and its answers to mistakes.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PROCESS_TEST_TIMEOUT_MS, runCommand, startServerProcess, type ServerProcess } from '../testing/serverProcess.js';
import { api, registerPasskey, signIn } from '../testing/flows.js';
import { SoftAuthenticator } from '../testing/softAuthenticator.js';
import { openDatabase } from '../db/database.js';
import { backupCommand, parseBackupCli } from './backupCommand.js';
import { ConfigError } from '../cli/configError.js';
import type { AdminMe, Page, UserSummary } from '../../shared/admin.js';

let dir: string;
const servers: ServerProcess[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'passkey-auth-backup-cli-'));
});
afterAll(() => {
  for (const server of servers) server.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const pageOf = (port: number) => ({ origin: `http://localhost:${port}`, host: `localhost:${port}` });

async function signedInServer(dbPath: string, admin: SoftAuthenticator) {
  const server = await startServerProcess(dbPath);
  servers.push(server);
  const page = pageOf(server.port);
  if (server.bootstrapToken) await registerPasskey(server.port, admin, page, server.bootstrapToken);
  const cookie = await signIn(server.port, admin, page);
  const call = (method: string, path: string, body?: unknown) => api(server.port, method, path, { host: page.host, cookie, origin: page.origin, body });
  return { server, call };
}

describe('passkey-auth backup', () => {
  it('takes a consistent backup while the service writes, and a service started on the copy has the data', async () => {
    const dbPath = join(dir, 'service.sqlite');
    const backupPath = join(dir, 'backup.sqlite');
    const admin = new SoftAuthenticator();
    const { server, call } = await signedInServer(dbPath, admin);
    const { org } = JSON.parse((await call('GET', '/auth/api/admin/me')).body) as AdminMe;
    expect((await call('POST', '/auth/api/admin/users', { displayName: 'Known before backup', orgId: org.id })).status).toBe(201);

    // Write load: people created one after another, until the backup has finished.
    let acknowledged = 0;
    let loading = true;
    const load = (async () => {
      while (loading) {
        const response = await call('POST', '/auth/api/admin/users', { displayName: `Load ${acknowledged + 1}`, orgId: org.id });
        expect(response.status).toBe(201);
        acknowledged++;
      }
    })();
    while (acknowledged < 5) await new Promise((resolve) => setTimeout(resolve, 10));
    const backup = runCommand(['backup', '--db', dbPath, '--to', backupPath]);
    const exit = await backup.exited;
    const duringBackup = acknowledged;
    while (acknowledged < duringBackup + 5) await new Promise((resolve) => setTimeout(resolve, 10));
    loading = false;
    await load;
    expect(exit, backup.output()).toEqual({ code: 0, signal: null });
    expect(backup.output()).toMatch(new RegExp(`^passkey-auth backup: copied ${dbPath} to ${backupPath} \\(\\d+\\.\\d KiB, \\d+ pages, checked\\) in \\d+ ms\\n$`));

    const copy = new BetterSqlite3(backupPath, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    const source = new BetterSqlite3(dbPath, { readonly: true });
    const migrations = (db: BetterSqlite3.Database) => db.prepare('select name from kysely_migration order by name').pluck().all();
    expect(migrations(copy)).toEqual(migrations(source));
    source.close();
    // One moment's snapshot: the load's people are there without a gap, up to the last one written before the copy.
    const loaded = copy.prepare(`select display_name from users where display_name like 'Load %'`).pluck().all() as string[];
    copy.close();
    const numbers = loaded.map((name) => Number(name.slice('Load '.length))).sort((a, b) => a - b);
    expect(numbers.length).toBeGreaterThanOrEqual(5);
    expect(numbers.length).toBeLessThan(acknowledged);
    expect(numbers).toEqual(numbers.map((_, index) => index + 1));

    // Restore: stop the service, put the copy in place of the database, start again.
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    const restoredPath = join(dir, 'restored.sqlite');
    copyFileSync(backupPath, restoredPath);
    const restored = await signedInServer(restoredPath, admin);
    expect(restored.server.bootstrapToken).toBeUndefined();
    const found = JSON.parse((await restored.call('GET', '/auth/api/admin/users?q=Known')).body) as Page<UserSummary>;
    expect(found.items.map((user) => user.displayName)).toEqual(['Known before backup']);
  }, PROCESS_TEST_TIMEOUT_MS);

  it('answers mistakes with a sentence and an exit code, never a stack trace', async () => {
    const valid = join(dir, 'valid.sqlite');
    await (await openDatabase(valid)).close();
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'this is no database at all, and it is long enough to have a header '.repeat(4));
    const missingDir = join(dir, 'missing');

    // The process itself, once.
    const command = runCommand(['backup', '--db', text, '--to', join(dir, 'out.sqlite')]);
    expect(await command.exited).toEqual({ code: 1, signal: null });
    expect(command.output()).toBe(`passkey-auth backup: ${text} is not an SQLite database\n`);

    const cases = [
      { args: ['--db', join(dir, 'none.sqlite'), '--to', join(dir, 'out.sqlite')], code: 1, output: /^passkey-auth backup: no database at / },
      { args: ['--db', valid, '--to', join(missingDir, 'out.sqlite')], code: 1, output: `passkey-auth backup: cannot write ${join(missingDir, 'out.sqlite')}: there is no directory ${missingDir}\n` },
      { args: ['--db', valid, '--to', text], code: 1, output: `passkey-auth backup: ${text} already exists: pass --force to replace it\n` },
      { args: ['--db', valid], code: 2, output: 'passkey-auth backup: backup needs --to FILE: where the backup goes\nRun "passkey-auth backup --help" for the options.\n' },
      { args: ['--to', join(dir, 'out.sqlite'), '--bogus'], code: 2, output: /^passkey-auth backup: Unknown option '--bogus'/ },
    ];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      for (const { args, code, output } of cases) {
        stderr.mockClear();
        expect(await backupCommand(args, {}), args.join(' ')).toBe(code);
        const written = stderr.mock.calls.map(([chunk]) => String(chunk)).join('');
        if (typeof output === 'string') expect(written).toBe(output);
        else expect(written).toMatch(output);
      }
    } finally {
      stderr.mockRestore();
    }
  }, PROCESS_TEST_TIMEOUT_MS);

  it('finds the database as the service does: --db, else PASSKEY_AUTH_DB, else ./passkey-auth.sqlite', () => {
    const env = { PASSKEY_AUTH_DB: '/data/passkey-auth.sqlite' };
    expect(parseBackupCli(['--to', 'b.sqlite'], {})).toEqual({ kind: 'backup', request: { from: './passkey-auth.sqlite', to: 'b.sqlite', overwrite: false } });
    expect(parseBackupCli(['--to', 'b.sqlite', '--force'], env)).toEqual({ kind: 'backup', request: { from: '/data/passkey-auth.sqlite', to: 'b.sqlite', overwrite: true } });
    expect(parseBackupCli(['--to', 'b.sqlite', '--db', 'other.sqlite'], env)).toMatchObject({ request: { from: 'other.sqlite' } });
    expect(parseBackupCli(['-h'], env)).toEqual({ kind: 'help' });
  });

  it('sends PostgreSQL databases to pg_dump, without repeating the password', () => {
    const attempt = () => parseBackupCli(['--to', 'b.sqlite'], { PASSKEY_AUTH_DB: 'postgres://auth:s3cret@db/passkey_auth' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/^backup copies SQLite databases; back a PostgreSQL database up with pg_dump/);
    expect(attempt).not.toThrow(/s3cret/);
  });
});
