/**
 * `LISTEN` on a PostgreSQL channel over a connection of its own (a pooled one would be handed
 * to queries, and a pool closes idle connections): every notification is passed on, the
 * connection is watched by a heartbeat, and after any failure it reconnects by itself with
 * backoff. Connection errors are reported through `onState`, never thrown: they must not
 * take the process down.
 */
import type pg from 'pg';

/** The channel instances publish cache changes on. */
export const CHANGES_CHANNEL = 'passkey_auth_cache_changes';

/** How often the idle connection is checked, and how long a check may take. */
const HEARTBEAT_MS = 2_000;
/** Reconnect delays: doubling from the first to the last, then staying there. */
const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 2_000;

export interface PgChangeListenerOptions {
  /** `postgres://…`, as given to `--db`. */
  connectionString: string;
  channel?: string;
  /** Each notification's payload. */
  onNotification(payload: string): void;
  /** Told when listening starts (again), and when the connection is lost and why; not of each failed retry. */
  onState(up: boolean, error?: unknown): void;
}

export interface PgChangeListener {
  /** Stops listening and closes the connection; no reconnect after it. */
  close(): Promise<void>;
}

/** Starts listening; returns at once (the first connection is made in the background). */
export function startPgChangeListener(options: PgChangeListenerOptions): PgChangeListener {
  const channel = options.channel ?? CHANGES_CHANNEL;
  let client: pg.Client | null = null;
  let up = false;
  let closed = false;
  let retryMs = FIRST_RETRY_MS;
  let retry: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;

  const down = (failed: pg.Client, error: unknown) => {
    if (client !== failed) return; // an older connection, already replaced
    client = null;
    clearInterval(heartbeat);
    failed.removeAllListeners('notification');
    // Keep a listener: a socket error after this must not become an uncaught exception.
    failed.on('error', () => {});
    failed.end().catch(() => {});
    if (closed) return;
    if (up) {
      up = false;
      options.onState(false, error);
    }
    retry = setTimeout(connect, retryMs);
    retry.unref();
    retryMs = Math.min(retryMs * 2, LAST_RETRY_MS);
  };

  const connect = async () => {
    // `pg` is loaded with the first connection (imports are cached), never by an SQLite instance.
    const { Client, escapeIdentifier } = (await import('pg')).default;
    if (closed) return;
    const next = new Client({ connectionString: options.connectionString, keepAlive: true, connectionTimeoutMillis: HEARTBEAT_MS, query_timeout: HEARTBEAT_MS });
    client = next;
    next.on('error', (error) => down(next, error));
    next.on('end', () => down(next, new Error('connection ended')));
    next.on('notification', (message) => {
      if (message.channel === channel && message.payload !== undefined) options.onNotification(message.payload);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${escapeIdentifier(channel)}`);
    } catch (error) {
      down(next, error);
      return;
    }
    if (closed || client !== next) return;
    retryMs = FIRST_RETRY_MS;
    up = true;
    options.onState(true);
    heartbeat = setInterval(() => next.query('select 1').catch((error: unknown) => down(next, error)), HEARTBEAT_MS);
    heartbeat.unref();
  };

  void connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      clearInterval(heartbeat);
      const last = client;
      client = null;
      if (last) {
        last.removeAllListeners();
        last.on('error', () => {});
        await last.end().catch(() => {});
      }
    },
  };
}
