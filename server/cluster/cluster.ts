/**
 * What instances sharing one database coordinate besides the data: per-instance caches kept in
 * step (changeFeed.ts) and background jobs run by one instance (jobLeader.ts). With SQLite there
 * is one instance and both are trivial; with PostgreSQL they go over `NOTIFY`/`LISTEN` and
 * advisory locks, on two connections of their own next to the pool.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Logger } from '../log/logger.js';
import { ChangeFeed } from './changeFeed.js';
import { SOLE_INSTANCE, pgJobLeader, type JobLeader } from './jobLeader.js';
import { CHANGES_CHANNEL, startPgChangeListener } from './pgChangeListener.js';

/**
 * With PostgreSQL, how long an instance keeps a cached identity before reading it again. A change
 * normally reaches every instance within milliseconds (`NOTIFY`), and a lost connection clears the
 * caches; this bounds the rest: a notification sent by an instance that died right after its commit.
 */
export const SHARED_CACHE_MAX_AGE_MS = 10_000;

export interface Cluster {
  changes: ChangeFeed;
  leader: JobLeader;
  /** Stops listening and gives up leadership (before the database closes). */
  close(): Promise<void>;
}

/** A single instance on SQLite: changes stay in-process, it leads every job. */
export function singleInstance(): Cluster {
  return { changes: new ChangeFeed(), leader: SOLE_INSTANCE, close: async () => {} };
}

/** Joins the instances on the PostgreSQL database at `url` (which `db` queries). */
export function joinCluster(url: string, db: Kysely<Database>, log: Logger): Cluster {
  const changes = new ChangeFeed({
    publish: async (payload) => void (await sql`select pg_notify(${CHANGES_CHANNEL}, ${payload})`.execute(db)),
    onPublishError: (error) => log.warn('could not tell the other instances of a cache change; their entries expire within the maximum age', { error }),
    maxEntryAgeMs: SHARED_CACHE_MAX_AGE_MS,
  });
  const listener = startPgChangeListener({
    connectionString: url,
    onNotification: (payload) => changes.receive(payload),
    onState: (up, error) => {
      changes.listening(up);
      if (up) log.info('listening for other instances\' cache changes');
      else log.warn('lost the connection that hears other instances\' cache changes: reading every identity from the database until it is back', { error });
    },
  });
  const leader = pgJobLeader(url, (error) => log.warn('background-job leadership: the database connection failed', { error }));
  return {
    changes,
    leader,
    close: async () => {
      await listener.close();
      await leader.close();
    },
  };
}
