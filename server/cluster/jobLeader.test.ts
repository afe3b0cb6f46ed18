/** Leadership over advisory locks, with two "instances" (leaders) on one throw-away PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { pgJobLeader, SOLE_INSTANCE, type JobLeader } from './jobLeader.js';
import { clusterForTest, type ClusterForTest } from '../testing/clusterPostgres.js';

let cluster: ClusterForTest;
beforeAll(async () => void (cluster = await clusterForTest()));
afterAll(() => cluster?.stop());

/** Ends every connection of this database but the caller's, as a restart or a network cut would. */
async function terminateOthers(url: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
  await admin.end();
}

describe('pgJobLeader', () => {
  const leaders: JobLeader[] = [];
  const errors: unknown[] = [];
  const leader = () => {
    const made = pgJobLeader(cluster.url, (error) => errors.push(error));
    leaders.push(made);
    return made;
  };
  afterAll(async () => Promise.all(leaders.map((made) => made.close())));

  it('lets one instance lead a job, keeps it there, and hands it over when that instance stops', async () => {
    const [a, b] = [leader(), leader()];
    expect(await a.leads('sweep')).toBe(true);
    expect(await b.leads('sweep')).toBe(false);
    expect(await a.leads('sweep')).toBe(true);
    expect(await b.leads('sweep')).toBe(false);
    // Another job is led independently.
    expect(await b.leads('deliveries')).toBe(true);
    expect(await a.leads('deliveries')).toBe(false);

    await a.close();
    expect(await b.leads('sweep')).toBe(true);
    expect(errors).toEqual([]);
  });

  it('loses the lead with its connection, without throwing, so another instance takes it over', async () => {
    const [a, b] = [leader(), leader()];
    expect(await a.leads('audit')).toBe(true);
    expect(await b.leads('audit')).toBe(false);
    await terminateOthers(cluster.url);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(errors.length).toBeGreaterThan(0);
    // The lock went with a's connection: b, asking first now, leads; a (reconnected) does not.
    expect(await b.leads('audit')).toBe(true);
    expect(await a.leads('audit')).toBe(false);
  });

  it('reports an unreachable database as "does not lead"', async () => {
    const unreachable = pgJobLeader('postgres://nobody@127.0.0.1:1/none', () => {});
    expect(await unreachable.leads('sweep')).toBe(false);
    await unreachable.close();
  });
});

describe('SOLE_INSTANCE', () => {
  it('leads every job', async () => {
    expect(await SOLE_INSTANCE.leads('sweep')).toBe(true);
  });
});
