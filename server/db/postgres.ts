/**
 * What code shared by both dialects asks of PostgreSQL: whether a database is PostgreSQL, and
 * the advisory locks that let several instances share one database safely. The connection pool
 * is in postgresPool.ts, which loads `pg`: only a PostgreSQL instance imports it.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

/** Whether `db` (or a transaction of it) talks to PostgreSQL. */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Holds a PostgreSQL advisory lock named `name` until the transaction `trx` ends, so that
 * instances doing the same one-off work (the first-start bootstrap) take turns. A no-op on
 * SQLite, whose single connection already runs one transaction at a time.
 */
export async function lockForTransaction(trx: Kysely<any>, name: string): Promise<void> {
  if (isPostgres(trx)) await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(trx);
}
