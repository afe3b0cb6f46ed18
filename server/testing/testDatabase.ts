/**
 * A fresh, empty database for one test or test server: an SQLite file in a temp dir, or, when
 * the run targets PostgreSQL (`PASSKEY_AUTH_TEST_DB`, see postgres.ts), a new database on that cluster.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type OpenDatabase, type OpenDatabaseOptions } from '../db/database.js';
import { createTestDatabase, testPostgresUrl } from './postgres.js';

export interface TestDatabase {
  /** What `--db` takes: the SQLite file's path or the PostgreSQL database's URL. */
  location: string;
  /** Removes the database (the file, or the PostgreSQL database). */
  remove(): Promise<void>;
}

/** Makes an empty database on the backend this run tests. */
export async function createEmptyDatabase(): Promise<TestDatabase> {
  const clusterUrl = testPostgresUrl();
  if (clusterUrl) {
    const created = await createTestDatabase(clusterUrl);
    return { location: created.url, remove: created.drop };
  }
  const dir = mkdtempSync(join(tmpdir(), 'passkey-auth-test-'));
  return { location: join(dir, 'test.sqlite'), remove: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** Opens (migrating) a fresh database on the backend this run tests; closing it also removes it. */
export async function openTestDatabase(options?: OpenDatabaseOptions): Promise<OpenDatabase> {
  const empty = await createEmptyDatabase();
  const database = await openDatabase(empty.location, options);
  const close = database.close;
  return Object.assign(database, {
    close: async () => {
      await close();
      await empty.remove();
    },
  });
}
