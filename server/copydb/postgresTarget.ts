/**
 * The PostgreSQL side of copy-db: the tables its migrations made, whether they hold rows, the
 * inserts, and the identity sequences, which explicit ids leave behind.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { quoteIdentifier, type Row } from './sqliteSource.js';

/** Any table, any columns: the copy moves rows it reads from the source as they are. */
type AnyTables = Record<string, Row>;

/** PostgreSQL takes at most 65,535 parameters per statement. */
const MAX_PARAMETERS = 65_535;
/** Rows per insert at most: memory stays bounded however large a table is. */
const MAX_BATCH_ROWS = 500;

const anyTables = (db: Kysely<Database>) => db as unknown as Kysely<AnyTables>;

/** Rows per insert for a table with `columns` columns. */
export const batchRows = (columns: number) => Math.max(1, Math.min(MAX_BATCH_ROWS, Math.floor(MAX_PARAMETERS / columns)));

/** The tables in the connection's schema, kysely's migration bookkeeping left out. */
export async function targetTables(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'kysely\\_migration%'
    order by table_name`.execute(db);
  return rows.map((row) => row.name);
}

export async function countRows(db: Kysely<Database>, table: string): Promise<number> {
  const { count } = await anyTables(db).selectFrom(table).select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  return Number(count);
}

export async function insertRows(db: Kysely<Database>, table: string, rows: Row[]): Promise<void> {
  await anyTables(db).insertInto(table).values(rows).execute();
}

/**
 * Moves every identity column's sequence past the largest id copied: the rows came with their
 * ids, which do not advance the sequence, so the next insert would reuse id 1.
 */
export async function resetIdentitySequences(db: Kysely<Database>): Promise<void> {
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema() and is_identity = 'YES'`.execute(db);
  for (const { table_name: table, column_name: column } of rows) {
    await sql`select setval(pg_get_serial_sequence(${quoteIdentifier(table)}, ${column}), coalesce(max(${sql.ref(column)}), 0) + 1, false) from ${sql.table(table)}`.execute(db);
  }
}
