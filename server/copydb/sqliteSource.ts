/**
 * The SQLite side of copy-db: which tables the database has and what they reference, and their
 * rows, read a batch at a time.
 */
import type BetterSqlite3 from 'better-sqlite3';

/** A value as better-sqlite3 reads it: BLOBs come as Buffers, so bytes stay bytes. */
export type Row = Record<string, unknown>;

/**
 * Tables the copy leaves out: SQLite's own (`sqlite_sequence`, `sqlite_stat1`) and kysely's
 * migration bookkeeping, which the target's own migrations have written.
 */
const NOT_COPIED = /^(sqlite_|kysely_migration)/;

/** Double-quotes an identifier read from the database itself. */
export const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Every table of the database (each name → the tables its foreign keys reference), as the database says: a table added by a later migration is in it. */
export function sourceTables(sqlite: BetterSqlite3.Database): Map<string, string[]> {
  const names = sqlite.prepare(`select name from sqlite_master where type = 'table' order by name`).pluck().all() as string[];
  const tables = new Map<string, string[]>();
  for (const name of names.filter((table) => !NOT_COPIED.test(table))) {
    const keys = sqlite.pragma(`foreign_key_list(${quoteIdentifier(name)})`) as { table: string }[];
    tables.set(name, [...new Set(keys.map((key) => key.table))]);
  }
  return tables;
}

/** The table's rows in rowid order (insertion order, which a table referencing itself needs), `size` at a time. */
export function* rowBatches(sqlite: BetterSqlite3.Database, table: string, size: number): Generator<Row[]> {
  let batch: Row[] = [];
  for (const row of sqlite.prepare(`select * from ${quoteIdentifier(table)} order by rowid`).iterate() as IterableIterator<Row>) {
    batch.push(row);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

export function columnCount(sqlite: BetterSqlite3.Database, table: string): number {
  return (sqlite.pragma(`table_info(${quoteIdentifier(table)})`) as unknown[]).length;
}

export function rowCount(sqlite: BetterSqlite3.Database, table: string): number {
  return sqlite.prepare(`select count(*) from ${quoteIdentifier(table)}`).pluck().get() as number;
}
