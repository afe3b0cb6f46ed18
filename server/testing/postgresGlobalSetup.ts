/**
 * Vitest global setup: with `PASSKEY_AUTH_TEST_DB=postgres`, starts one throw-away PostgreSQL for
 * the whole run and points `PASSKEY_AUTH_TEST_DB` at it (the test workers inherit it); each test
 * server then gets a database of its own there (testDatabase.ts). Otherwise does nothing.
 */
import { TEST_DB_ENV, startPostgres } from './postgres.js';

export default async function setup(): Promise<(() => void) | undefined> {
  if (process.env[TEST_DB_ENV] !== 'postgres') return undefined;
  const cluster = await startPostgres();
  process.env[TEST_DB_ENV] = cluster.url;
  return () => cluster.stop();
}
