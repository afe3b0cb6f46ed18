/**
 * Copies a Passkey Auth SQLite database into an empty PostgreSQL one: from a consistent snapshot
 * of the file, brought to this version's schema, every table in foreign-key order in one
 * transaction, then checked table by table by counting rows on both sides.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { describeDatabase } from '../config.js';
import { openDatabase, type OpenDatabase } from '../db/database.js';
import { BackupError, backupDatabase } from '../backup/backupDatabase.js';
import { copyOrder } from './copyOrder.js';
import { columnCount, rowBatches, rowCount, sourceTables } from './sqliteSource.js';
import { batchRows, countRows, insertRows, resetIdentitySequences, targetTables } from './postgresTarget.js';

export interface CopyRequest {
  /** The SQLite database file; only read. */
  from: string;
  /** The PostgreSQL database's `postgres://` URL. */
  to: string;
}

export interface TableCount {
  table: string;
  /** Rows in the table, the same on both sides. */
  rows: number;
}

export interface CopyResult {
  /** In the order they were copied. */
  tables: TableCount[];
  ms: number;
}

/** A copy that cannot be made, said so that a person can act on it. */
export class CopyError extends Error {
  override name = 'CopyError';
}

/** kysely's migrator, on a database that has a migration this version does not know. */
const NEWER_MIGRATION = /previously executed migration (\S+) is missing/;

/**
 * Copies `request.from` into the empty database at `request.to`. Leaves `from` as it is; leaves
 * `to` without rows (but with the schema) when anything fails.
 * @throws {CopyError} when the source is missing, not Passkey Auth's or from a newer version, the
 * target cannot be reached or holds data, or the tables or row counts of the two sides differ
 */
export async function copyDatabase(request: CopyRequest): Promise<CopyResult> {
  const started = Date.now();
  const scratch = mkdtempSync(join(tmpdir(), 'passkey-auth-copy-db-'));
  try {
    const source = new BetterSqlite3(await migratedSnapshot(request.from, scratch), { readonly: true, fileMustExist: true });
    try {
      const target = await openTarget(request.to);
      try {
        const tables = await copyTables(source, target.db, request);
        return { tables, ms: Date.now() - started };
      } finally {
        await target.close();
      }
    } finally {
      source.close();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * A snapshot of `from` (SQLite's online backup: consistent even if a service still writes to
 * it) in `scratch`, with this version's migrations applied, so that its tables match the
 * target's; `from` itself is never changed.
 */
async function migratedSnapshot(from: string, scratch: string): Promise<string> {
  if (!existsSync(from)) throw new CopyError(`no database at ${from}`);
  const snapshot = join(scratch, 'snapshot.sqlite');
  try {
    await backupDatabase({ from, to: snapshot, overwrite: false });
  } catch (error) {
    if (error instanceof BackupError) throw new CopyError(error.message);
    throw error;
  }
  let migrated: OpenDatabase;
  try {
    migrated = await openDatabase({ kind: 'sqlite', path: snapshot });
  } catch (error) {
    const newer = NEWER_MIGRATION.exec((error as Error).message);
    if (newer) throw new CopyError(`${from} was last used by a newer version of Passkey Auth (its migration ${newer[1]} is unknown to this one): copy it with that version`);
    throw new CopyError(`cannot bring ${from} up to date: ${(error as Error).message}`);
  }
  await migrated.close();
  return snapshot;
}

/** Opens the target; its migrations create the schema, as the service's first start would. */
async function openTarget(url: string): Promise<OpenDatabase> {
  try {
    return await openDatabase({ kind: 'postgres', url });
  } catch (error) {
    throw new CopyError(`cannot open ${describeDatabase({ kind: 'postgres', url })}: ${withoutPassword(messageOf(error), url)}`);
  }
}

async function copyTables(source: BetterSqlite3.Database, target: Kysely<Database>, { from, to }: CopyRequest): Promise<TableCount[]> {
  const shown = describeDatabase({ kind: 'postgres', url: to });
  const references = sourceTables(source);
  const order = copyOrder(references);
  checkSameTables(order, await targetTables(target), from, shown);
  return target.transaction().execute(async (trx) => {
    const holding: string[] = [];
    for (const table of order) {
      const rows = await countRows(trx, table);
      if (rows > 0) holding.push(`${table}: ${rows}`);
    }
    if (holding.length > 0) throw new CopyError(`${shown} already holds data (${holding.join(', ')}): copy-db fills an empty database only (drop and create it again, or name another)`);

    for (const table of order) {
      try {
        for (const batch of rowBatches(source, table, batchRows(columnCount(source, table)))) await insertRows(trx, table, batch);
      } catch (error) {
        throw new CopyError(`copying table ${table} failed, nothing was written to ${shown}: ${withoutPassword(messageOf(error), to)}`);
      }
    }
    await resetIdentitySequences(trx);

    const counts = [];
    for (const table of order) {
      const [copied, expected] = [await countRows(trx, table), rowCount(source, table)];
      if (copied !== expected) throw new CopyError(`table ${table} has ${expected} rows in ${from} but ${copied} in ${shown} after the copy; nothing was written`);
      counts.push({ table, rows: copied });
    }
    return counts;
  });
}

/** Both sides have the same tables: a table only in the source would otherwise be left behind. */
function checkSameTables(sourceOrder: readonly string[], targetNames: readonly string[], from: string, shown: string): void {
  const onlySource = sourceOrder.filter((table) => !targetNames.includes(table));
  const onlyTarget = targetNames.filter((table) => !sourceOrder.includes(table));
  if (onlySource.length === 0 && onlyTarget.length === 0) return;
  const parts = [
    ...(onlySource.length > 0 ? [`only ${from} has ${onlySource.join(', ')}`] : []),
    ...(onlyTarget.length > 0 ? [`only ${shown} has ${onlyTarget.join(', ')}`] : []),
  ];
  throw new CopyError(`the two databases' tables differ (${parts.join('; ')}): copy-db copies Passkey Auth's tables and nothing else`);
}

/** A driver error's message; a connection refused on every address comes as an AggregateError with none of its own. */
function messageOf(error: unknown): string {
  const { message, code } = error as { message?: string; code?: string };
  return message || code || String(error);
}

/** `text` without the URL's password, should a driver ever repeat it. */
function withoutPassword(text: string, url: string): string {
  const password = decodeURIComponent(new URL(url).password);
  return password === '' ? text : text.replaceAll(password, '***');
}
