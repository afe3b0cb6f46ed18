/**
 * A PostgreSQL database for the tests of what only PostgreSQL does (NOTIFY, advisory locks),
 * which run whatever backend the run tests: a fresh database on the run's cluster when it has
 * one (postgres.ts), else a throw-away cluster of its own.
 */
import { createTestDatabase, startPostgres, testPostgresUrl } from './postgres.js';

export interface ClusterForTest {
  /** The database's URL, for `--db` or a pg client. */
  url: string;
  stop(): Promise<void>;
}

export async function clusterForTest(): Promise<ClusterForTest> {
  const shared = testPostgresUrl();
  if (shared) {
    const database = await createTestDatabase(shared);
    return { url: database.url, stop: database.drop };
  }
  const cluster = await startPostgres();
  return { url: cluster.url, stop: async () => cluster.stop() };
}
