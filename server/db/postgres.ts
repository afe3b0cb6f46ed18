/**
 * PostgreSQL behind kysely: the connection pool, how values come back, and the advisory
 * locks that let several instances share one database safely.
 */
import pg from 'pg';
import { PostgresAdapter, PostgresDialect, sql, type Kysely } from 'kysely';

/** Connections per instance: requests are short, and several instances share the server's `max_connections` (100 by default). */
const POOL_SIZE = 10;
/** How long a query waits for a free or new connection before it fails (the request then fails instead of hanging). */
const CONNECT_TIMEOUT_MS = 5_000;
/** Idle connections are closed after this, so a quiet instance holds few. */
const IDLE_TIMEOUT_MS = 30_000;

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * int8 (our `integer` columns become `bigint`, and `count(*)` is one) comes back as a JS number,
 * as SQLite gives it: every value we store (times in ms, counters) is far below 2^53. bytea
 * already comes back as a Buffer, as SQLite's blobs do.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID || oid === NUMERIC_OID ? (text: string) => Number(text) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * A pool for `url`. A connection that drops while idle (the server restarted, a proxy timed it
 * out) emits 'error' on the pool: `onIdleError` hears of it instead of the process crashing,
 * and the pool opens a new connection for the next query.
 */
export function createPool(url: string, onIdleError: (error: Error) => void): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, idleTimeoutMillis: IDLE_TIMEOUT_MS, types });
  pool.on('error', onIdleError);
  // A connection lost while checked out but between queries (inside a transaction) emits 'error' on
  // its client, where nobody listens then: the process would crash. The next query on it fails
  // instead (a 503), and the pool drops it on release.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

export function postgresDialect(pool: pg.Pool): PostgresDialect {
  return new PostgresDialect({ pool });
}

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
