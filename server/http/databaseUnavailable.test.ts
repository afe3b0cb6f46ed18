/** Real errors from node-postgres (and others) against the classification. */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Kysely, sql } from 'kysely';
import { createPool, postgresDialect } from '../db/postgresPool.js';
import { freePort } from '../../e2e/support/childProcess.js';
import { clusterForTest, type ClusterForTest } from '../testing/clusterPostgres.js';
import { isDatabaseUnavailable } from './databaseUnavailable.js';

let postgres: ClusterForTest;
beforeAll(async () => void (postgres = await clusterForTest()));
afterAll(() => postgres?.stop());

/** What a query throws through a pool built by `options`. */
async function queryError(options: pg.PoolConfig, sql = 'select 1'): Promise<unknown> {
  const pool = new pg.Pool({ max: 1, ...options });
  pool.on('error', () => {});
  try {
    await pool.query(sql);
    throw new Error('the query succeeded');
  } catch (error) {
    return error;
  } finally {
    await pool.end().catch(() => {});
  }
}

describe('isDatabaseUnavailable', () => {
  it('recognises a refused connection', async () => {
    const port = await freePort();
    expect(isDatabaseUnavailable(await queryError({ connectionString: `postgres://nobody@127.0.0.1:${port}/db` }))).toBe(true);
  });

  it('recognises a server that accepts but never answers (connect timeout)', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      expect(isDatabaseUnavailable(await queryError({ connectionString: `postgres://nobody@127.0.0.1:${port}/db`, connectionTimeoutMillis: 200 }))).toBe(true);
    } finally {
      silent.close();
    }
  });

  it('recognises a connection ended by the server mid-query, and the broken client after it', async () => {
    const client = new pg.Client({ connectionString: postgres.url });
    client.on('error', () => {});
    await client.connect();
    const killed = await client.query('select pg_terminate_backend(pg_backend_pid())').then(() => null, (error: unknown) => error);
    expect(killed).toBeInstanceOf(Error);
    expect(isDatabaseUnavailable(killed)).toBe(true);
    const after = await client.query('select 1').then(() => null, (error: unknown) => error);
    expect(isDatabaseUnavailable(after)).toBe(true);
  });

  it('does not take a bad query, a constraint or a bug for an outage', async () => {
    expect(isDatabaseUnavailable(await queryError({ connectionString: postgres.url }, 'select * from no_such_table'))).toBe(false);
    expect(isDatabaseUnavailable(await queryError({ connectionString: postgres.url }, 'select 1/0'))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('UNIQUE constraint failed: users.email'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }))).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
  });

  it('a connection lost inside a transaction, between its queries, fails that request as unavailable and crashes nothing', async () => {
    const idleErrors: Error[] = [];
    const db = new Kysely<unknown>({ dialect: postgresDialect(createPool(postgres.url, (error) => idleErrors.push(error))) });
    try {
      const failure = await db
        .transaction()
        .execute(async (trx) => {
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
          const admin = new pg.Client({ connectionString: postgres.url });
          await admin.connect();
          await admin.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
          await admin.end();
          // The server's notice arrives while no query runs on the connection: an 'error' event on its client.
          await new Promise((resolve) => setTimeout(resolve, 200));
          await sql`select 1`.execute(trx);
        })
        .then(() => null, (error: unknown) => error);
      expect(isDatabaseUnavailable(failure)).toBe(true);
      // The pool replaces the connection: the next request works.
      expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }]);
    } finally {
      await db.destroy();
    }
  });
});
