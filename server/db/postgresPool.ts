/**
 * The PostgreSQL connection pool kysely queries through, and how values come back. The one
 * module that imports `pg` for queries: openDatabase loads it only for a `postgres://` database,
 * so that an SQLite instance never loads the driver (≈ 2.6 MiB of heap once imported).
 */
import pg from 'pg';
import { PostgresDialect } from 'kysely';

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
