/**
 * A consistent copy of the SQLite database, taken while the service runs, through SQLite's
 * online backup API: written under a temporary name beside the target, checked, then put in
 * place in one step, so that the target is never a half-written file.
 */
import { closeSync, existsSync, fsyncSync, linkSync, openSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

export interface BackupRequest {
  /** The service's database file. */
  from: string;
  /** Where the copy goes. */
  to: string;
  /** Replace `to` if it exists. */
  overwrite: boolean;
}

export interface BackupResult {
  /** The copy's size in bytes. */
  bytes: number;
  pages: number;
  ms: number;
}

/** A backup that cannot be made, said so that a person can act on it. */
export class BackupError extends Error {
  override name = 'BackupError';
}

/**
 * Pages copied per step: all of them. The copy then reads one snapshot in one read transaction,
 * which in WAL mode never blocks the service's writes; in smaller steps, every write the service
 * makes between two steps would restart the copy, and under steady writes it might never end.
 */
const ALL_PAGES = 0x7fffffff;

/** The table kysely's migrator keeps: every Passkey Auth database has it. */
const MIGRATIONS_TABLE = 'kysely_migration';

/**
 * Copies `request.from` to `request.to`.
 * @throws {BackupError} when the source is missing or no Passkey Auth database, the target
 * exists (without `overwrite`), is the source itself, or cannot be written
 */
export async function backupDatabase(request: BackupRequest): Promise<BackupResult> {
  const started = Date.now();
  const { from, to } = request;
  const source = openSource(from);
  try {
    checkTarget(request);
    const temp = join(dirname(to), `.${basename(to)}.${process.pid}.tmp`);
    try {
      const { totalPages } = await source.backup(temp, { progress: () => ALL_PAGES });
      checkCopy(temp);
      place(temp, request);
      return { bytes: statSync(to).size, pages: totalPages, ms: Date.now() - started };
    } catch (error) {
      for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(temp + suffix, { force: true });
      if (error instanceof BackupError) throw error;
      throw new BackupError(`cannot write ${to}: ${(error as Error).message}`);
    }
  } finally {
    source.close();
  }
}

/** Opens the database at `path`, which must exist and be a Passkey Auth database (never creates one). */
function openSource(path: string): BetterSqlite3.Database {
  if (!existsSync(path)) throw new BackupError(`no database at ${path} (give the service's database with --db or PASSKEY_AUTH_DB)`);
  let source: BetterSqlite3.Database | undefined;
  try {
    source = new BetterSqlite3(path, { fileMustExist: true });
    source.pragma('busy_timeout = 5000');
    const migrations = source.prepare(`select 1 from sqlite_master where type = 'table' and name = ?`).get(MIGRATIONS_TABLE);
    if (!migrations) throw new BackupError(`${path} is an SQLite database, but not Passkey Auth's (it has no ${MIGRATIONS_TABLE} table)`);
    return source;
  } catch (error) {
    source?.close();
    if (error instanceof BackupError) throw error;
    const { code, message } = error as { code?: string; message: string };
    if (code === 'SQLITE_NOTADB') throw new BackupError(`${path} is not an SQLite database`);
    throw new BackupError(`cannot read ${path}: ${message}`);
  }
}

function checkTarget({ from, to, overwrite }: BackupRequest): void {
  const dir = dirname(resolve(to));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new BackupError(`cannot write ${to}: there is no directory ${dir}`);
  if (!existsSync(to)) return;
  if (statSync(to).isDirectory()) throw new BackupError(`${to} is a directory: name the backup file, e.g. ${join(to, basename(from))}`);
  if (realpathSync(to) === realpathSync(from)) throw new BackupError(`${to} is the database itself: back it up to another file`);
  if (!overwrite) throw new BackupError(`${to} already exists: pass --force to replace it`);
}

/** The copy opens as a Passkey Auth database and passes SQLite's quick check. */
function checkCopy(path: string): void {
  const copy = new BetterSqlite3(path, { fileMustExist: true });
  try {
    const result = copy.pragma('quick_check', { simple: true });
    if (result !== 'ok') throw new BackupError(`the copy failed SQLite's check (${String(result)}); nothing was written to the target`);
  } finally {
    copy.close();
  }
}

/**
 * Puts the finished copy at `to` in one step: a rename replaces, a hard link never does (it fails
 * if `to` appeared meanwhile). Then syncs the directory, so that the new name survives a crash.
 */
function place(temp: string, { to, overwrite }: BackupRequest): void {
  if (overwrite) renameSync(temp, to);
  else {
    try {
      linkSync(temp, to);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new BackupError(`${to} already exists: pass --force to replace it`);
      throw error;
    }
    rmSync(temp);
  }
  const dir = openSync(dirname(resolve(to)), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
