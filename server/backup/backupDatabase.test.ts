import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenDatabase } from '../db/database.js';
import { bootstrap } from '../bootstrap/bootstrap.js';
import { BackupError, backupDatabase } from './backupDatabase.js';

let dir: string;
let dbPath: string;
let database: OpenDatabase;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'passkey-auth-backup-'));
  dbPath = join(dir, 'service.sqlite');
  database = await openDatabase(dbPath);
  await bootstrap(database.db, Date.now());
});
afterAll(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

const userCount = (path: string) => {
  const copy = new BetterSqlite3(path, { readonly: true });
  try {
    return copy.prepare('select count(*) from users').pluck().get();
  } finally {
    copy.close();
  }
};

/** The directory holds only these names: no temporary file was left behind. */
const namesIn = (path: string) => readdirSync(path).sort();

describe('backupDatabase', () => {
  it('copies the open database, and replaces an earlier backup only when told', async () => {
    const to = join(dir, 'copy.sqlite');
    const result = await backupDatabase({ from: dbPath, to, overwrite: false });
    expect(result.pages).toBeGreaterThan(0);
    expect(userCount(to)).toBe(1);

    const before = readFileSync(to);
    await expect(backupDatabase({ from: dbPath, to, overwrite: false })).rejects.toThrow(`${to} already exists: pass --force to replace it`);
    expect(readFileSync(to).equals(before)).toBe(true);
    await expect(backupDatabase({ from: dbPath, to, overwrite: true })).resolves.toMatchObject({ pages: result.pages });
    expect(namesIn(dir).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('refuses a missing database without creating one', async () => {
    const missing = join(dir, 'missing.sqlite');
    await expect(backupDatabase({ from: missing, to: join(dir, 'out.sqlite'), overwrite: false })).rejects.toThrow(new BackupError(`no database at ${missing} (give the service's database with --db or PASSKEY_AUTH_DB)`));
    expect(existsSync(missing)).toBe(false);
  });

  it('refuses a file that is no SQLite database, and an SQLite database that is not Passkey Auth\'s', async () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a database, but long enough to look at its header '.repeat(4));
    await expect(backupDatabase({ from: text, to: join(dir, 'out.sqlite'), overwrite: false })).rejects.toThrow(`${text} is not an SQLite database`);
    const other = join(dir, 'other.sqlite');
    new BetterSqlite3(other).exec('create table things (id integer)').close();
    await expect(backupDatabase({ from: other, to: join(dir, 'out.sqlite'), overwrite: false })).rejects.toThrow(
      `${other} is an SQLite database, but not Passkey Auth's (it has no kysely_migration table)`,
    );
    expect(existsSync(join(dir, 'out.sqlite'))).toBe(false);
  });

  it('refuses to write over the database itself, even when told to replace', async () => {
    await expect(backupDatabase({ from: dbPath, to: dbPath, overwrite: true })).rejects.toThrow(`${dbPath} is the database itself`);
    expect(userCount(dbPath)).toBe(1);
  });

  it('says which directory is missing, and refuses a directory as the target', async () => {
    const nowhere = join(dir, 'no-such-dir', 'copy.sqlite');
    await expect(backupDatabase({ from: dbPath, to: nowhere, overwrite: false })).rejects.toThrow(`cannot write ${nowhere}: there is no directory ${join(dir, 'no-such-dir')}`);
    const underFile = join(dir, 'notes.txt', 'copy.sqlite');
    await expect(backupDatabase({ from: dbPath, to: underFile, overwrite: false })).rejects.toThrow(/there is no directory/);
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    await expect(backupDatabase({ from: dbPath, to: folder, overwrite: true })).rejects.toThrow(`${folder} is a directory: name the backup file`);
  });
});
