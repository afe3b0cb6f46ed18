/**
 * Which instance runs a background job (housekeeping sweeps, queues): with SQLite the one
 * instance there is; with PostgreSQL the instance holding the job's advisory lock, on a
 * connection of its own that keeps it. The lock is the leadership: it lasts while that
 * connection does, and PostgreSQL frees it when the connection ends (the instance stopped,
 * crashed or lost the database), so that another instance takes the job over at its next try.
 */
import type pg from 'pg';

/** Decides, before each run, whether this instance runs a job. */
export interface JobLeader {
  /** Whether this instance should run `job` now; never throws (false when unsure). */
  leads(job: string): Promise<boolean>;
  /** Gives every job up (ends the connection). */
  close(): Promise<void>;
}

/** The only instance leads every job. */
export const SOLE_INSTANCE: JobLeader = { leads: async () => true, close: async () => {} };

/**
 * The first key of every job lock (two-key advisory locks: the second is the job name's hash),
 * so that they meet no other lock of the database, ours included (those take one bigint key).
 */
const JOB_LOCK_SPACE = 0x7061_6b6a; // "pakj"

/** How long connecting or asking for the lock may take. */
const TIMEOUT_MS = 5_000;

/**
 * Leadership over PostgreSQL advisory locks.
 * @param onError told when the connection fails (the jobs are then left until the next try)
 */
export function pgJobLeader(connectionString: string, onError: (error: unknown) => void): JobLeader {
  let client: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  const held = new Set<string>();

  /** Forgets a connection (and the locks it held); resolves once it is closed, so the locks are free. */
  const drop = async (failed: pg.Client): Promise<void> => {
    if (client !== failed) return;
    client = null;
    held.clear();
    await failed.end().catch(() => {});
  };

  const connection = (): Promise<pg.Client> => {
    if (client) return Promise.resolve(client);
    connecting ??= (async () => {
      // `pg` is loaded with the first connection, never by an SQLite instance (which leads as SOLE_INSTANCE).
      const { Client } = (await import('pg')).default;
      const next = new Client({ connectionString, keepAlive: true, connectionTimeoutMillis: TIMEOUT_MS, query_timeout: TIMEOUT_MS });
      // Without a listener a dropped connection would crash the process.
      next.on('error', (error) => {
        onError(error);
        void drop(next);
      });
      next.on('end', () => void drop(next));
      try {
        await next.connect();
      } catch (error) {
        next.end().catch(() => {});
        throw error;
      }
      client = next;
      return next;
    })().finally(() => (connecting = null));
    return connecting;
  };

  return {
    async leads(job) {
      let current: pg.Client | undefined;
      try {
        current = await connection();
        if (held.has(job)) {
          // Still ours while this connection lives: make sure it does.
          await current.query('select 1');
          return true;
        }
        const result = await current.query<{ locked: boolean }>('select pg_try_advisory_lock($1::int, hashtext($2)) as locked', [JOB_LOCK_SPACE, job]);
        const locked = result.rows[0]?.locked === true;
        if (locked) held.add(job);
        return locked;
      } catch (error) {
        onError(error);
        if (current) await drop(current);
        return false;
      }
    },
    async close() {
      const last = client ?? (await connecting?.catch(() => null)) ?? null;
      if (last) await drop(last);
    },
  };
}
