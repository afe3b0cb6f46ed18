/** Two instances' change feeds on one throw-away PostgreSQL: NOTIFY carries changes, a lost listener fails closed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../db/schema.js';
import { createLogger } from '../log/logger.js';
import { clusterForTest, type ClusterForTest } from '../testing/clusterPostgres.js';
import { joinCluster, SHARED_CACHE_MAX_AGE_MS, type Cluster } from './cluster.js';
import type { SharedCache } from './changeFeed.js';

let postgres: ClusterForTest;
let db: Kysely<Database>;
const lines: string[] = [];
const log = createLogger('text', { stdout: (line) => lines.push(line), stderr: (line) => lines.push(line) });
const instances: Cluster[] = [];

beforeAll(async () => {
  postgres = await clusterForTest();
  db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: postgres.url, max: 2 }) }) });
});
afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.close()));
  await db?.destroy();
  await postgres?.stop();
});

/** A cache recording its calls, and whether it may serve from memory. */
function recordingCache() {
  const state = { calls: [] as string[], trusted: false };
  const cache: SharedCache = {
    forget: (keys) => void state.calls.push(`forget ${keys.join(',')}`),
    clear: () => void state.calls.push('clear'),
    setTrusted: (trusted) => void (state.trusted = trusted),
  };
  return { cache, state };
}

/** An instance with one shared cache, once its listener is up. */
async function instance() {
  const cluster = joinCluster(postgres.url, db, log);
  instances.push(cluster);
  const { cache, state } = recordingCache();
  const changes = cluster.changes.share('identities', cache);
  await until(() => state.trusted);
  state.calls.length = 0;
  return { cluster, changes, state };
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('joinCluster on PostgreSQL', () => {
  it('caps cache entry age and distrusts caches until its listener is up', () => {
    const cluster = joinCluster(postgres.url, db, log);
    instances.push(cluster);
    const { cache, state } = recordingCache();
    cluster.changes.share('identities', cache);
    expect(cluster.changes.maxEntryAgeMs).toBe(SHARED_CACHE_MAX_AGE_MS);
    expect(state.trusted).toBe(false);
  });

  it("applies one instance's changes on the others, split over several notifications when large", async () => {
    const [a, b, c] = await Promise.all([instance(), instance(), instance()]);
    a.changes.forget(['session-1']);
    const many = Array.from({ length: 500 }, (_, n) => `session-hash-${n}-${'x'.repeat(20)}`);
    a.changes.forget(many);
    c.changes.clear();
    const expected = (calls: string[]) => calls.includes('clear') && calls.filter((call) => call.startsWith('forget')).join(',').split(',').length >= 501;
    await until(() => expected(b.state.calls) && expected(a.state.calls) && expected(c.state.calls));
    const forgotten = b.state.calls.filter((call) => call.startsWith('forget ')).flatMap((call) => call.slice('forget '.length).split(','));
    // Payloads travel over several pooled connections, so they may arrive in any order (drops commute).
    expect(forgotten.sort()).toEqual(['session-1', ...many].sort());
    // Each instance applied each change once: its own in place, the others' from NOTIFY.
    for (const { state } of [a, b, c]) expect(state.calls.filter((call) => call === 'clear')).toHaveLength(1);
  });

  it('when its listening connection is cut: clears, distrusts, reconnects by itself, trusts again', async () => {
    const a = await instance();
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and query like 'LISTEN%'");
    await admin.end();
    await until(() => !a.state.trusted);
    expect(a.state.calls).toContain('clear');
    await until(() => a.state.trusted);
    expect(lines.some((line) => line.includes('lost the connection that hears'))).toBe(true);

    // And it hears changes again.
    const b = await instance();
    a.state.calls.length = 0;
    b.changes.forget(['after-reconnect']);
    await until(() => a.state.calls.includes('forget after-reconnect'));
  });
});
