/**
 * PostgreSQL specifics, on a throw-away cluster (the run's, when it targets PostgreSQL; else one
 * of this file's own): the DDL the migrations become there, search folding, instances starting
 * together, and a real server process signing a person in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase, type OpenDatabase } from './database.js';
import { bootstrap } from '../bootstrap/bootstrap.js';
import { foldForSearch, SEARCH_FOLD_SQL } from './searchFold.js';
import { createTestDatabase, startPostgres, testPostgresUrl, type PostgresCluster, type TestPostgresDatabase } from '../testing/postgres.js';
import { PROCESS_TEST_TIMEOUT_MS, startServerProcess } from '../testing/serverProcess.js';
import { SoftAuthenticator } from '../testing/softAuthenticator.js';
import { registerPasskey, signIn } from '../testing/flows.js';
import { rawRequest } from '../testing/rawHttp.js';

let cluster: PostgresCluster | null = null;
let clusterUrl: string;
const created: TestPostgresDatabase[] = [];

beforeAll(async () => {
  const shared = testPostgresUrl();
  if (shared) clusterUrl = shared;
  else {
    cluster = await startPostgres();
    clusterUrl = cluster.url;
  }
}, 60_000);
afterAll(async () => {
  for (const database of created) await database.drop();
  cluster?.stop();
});

async function emptyDatabase(): Promise<string> {
  const database = await createTestDatabase(clusterUrl);
  created.push(database);
  return database.url;
}

describe('migrations on PostgreSQL', () => {
  let database: OpenDatabase;
  beforeAll(async () => {
    database = await openDatabase(await emptyDatabase());
  });
  afterAll(() => database.close());

  it('turn integer into bigint, blob into bytea, and the autoincrement key into an identity column', async () => {
    const { rows } = await sql<{ table_name: string; column_name: string; data_type: string; is_identity: string }>`
      select table_name, column_name, data_type, is_identity from information_schema.columns
      where table_schema = 'public' and (table_name, column_name) in (('audit_log', 'id'), ('sessions', 'token_hash'), ('sessions', 'expires_at'), ('users', 'email_verified'))
      order by table_name, column_name`.execute(database.db);
    expect(rows).toEqual([
      { table_name: 'audit_log', column_name: 'id', data_type: 'bigint', is_identity: 'YES' },
      { table_name: 'sessions', column_name: 'expires_at', data_type: 'bigint', is_identity: 'NO' },
      { table_name: 'sessions', column_name: 'token_hash', data_type: 'bytea', is_identity: 'NO' },
      { table_name: 'users', column_name: 'email_verified', data_type: 'bigint', is_identity: 'NO' },
    ]);
  });

  it('give back bigint values and counts as numbers, bytea as Buffers', async () => {
    await bootstrap(database.db, Date.now());
    const { n } = await database.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(n).toBe(1);
    const token = await database.db.selectFrom('reset_tokens').select(['token_hash', 'expires_at']).executeTakeFirstOrThrow();
    expect(typeof token.expires_at).toBe('number');
    expect(Buffer.isBuffer(token.token_hash)).toBe(true);
  });

  it('fold search text in SQL as foldForSearch does', async () => {
    const samples = ['Zoë ÅNGSTRÖM', 'José Müller-Łukasz', 'ada.l_%@Example.COM', '李小龍', 'Ærøskøbing Œuvre', 'ΆΛΦΑ Ωμέγα', 'ЁЛКА Йод', 'Nguyễn Thị Đức', 'e\u0301te\u0301'];
    for (const text of samples) {
      const { rows } = await sql<{ folded: string }>`select ${sql.raw(SEARCH_FOLD_SQL)}(${text}) as folded`.execute(database.db);
      expect(rows[0]!.folded, text).toBe(foldForSearch(text));
    }
  });
});

describe('a PostgreSQL that cannot be reached', () => {
  it('is named as such, not as a failed migration', async () => {
    const url = new URL(clusterUrl);
    url.port = '1';
    await expect(openDatabase(url.href)).rejects.toThrow(/^cannot open the database: .*ECONNREFUSED/);
  });
});

describe('instances starting together on one PostgreSQL database', () => {
  it('migrate once and create exactly one admin, with exactly one link printed', async () => {
    const url = await emptyDatabase();
    const now = Date.now();
    const starts = await Promise.all(
      [1, 2, 3].map(async () => {
        const database = await openDatabase(url);
        try {
          return await bootstrap(database.db, now);
        } finally {
          await database.close();
        }
      }),
    );
    expect(starts.filter((start) => start.created)).toHaveLength(1);
    expect(starts.filter((start) => start.token !== null)).toHaveLength(1);
    expect(starts.filter((start) => start.linkIssuedElsewhere)).toHaveLength(2);
    const database = await openDatabase(url);
    try {
      const count = async (table: 'users' | 'orgs' | 'reset_tokens' | 'kysely_migration') =>
        Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(database.db)).rows[0]!.n);
      expect([await count('users'), await count('orgs'), await count('reset_tokens')]).toEqual([1, 1, 1]);
      expect(await count('kysely_migration')).toBeGreaterThan(8);
    } finally {
      await database.close();
    }
  });
});

describe('a server process on PostgreSQL', () => {
  it(
    'starts, registers the first passkey with its link, signs in and passes forward auth',
    async () => {
      const server = await startServerProcess(await emptyDatabase());
      try {
        const origin = `http://localhost:${server.port}`;
        const page = { origin, host: `localhost:${server.port}` };
        expect(server.output()).toMatch(/database postgres:\/\/passkey_auth@127\.0\.0\.1:\d+\/t_[0-9a-f]+\)/);
        const admin = new SoftAuthenticator();
        await registerPasskey(server.port, admin, page, server.bootstrapToken);
        const cookie = await signIn(server.port, admin, page);
        const forward = () => rawRequest(server.port, { path: '/auth/api/forward', host: page.host, headers: { cookie } });
        // The first answer loads the identity from PostgreSQL, the second comes from the cache.
        expect((await forward()).status).toBe(204);
        expect((await forward()).headers['remote-name']).toBe('Admin');
        const health = await rawRequest(server.port, { path: '/auth/api/health', host: page.host });
        expect(JSON.parse(health.body)).toMatchObject({ status: 'ok', database: 'ok' });
      } finally {
        server.child.kill('SIGTERM');
        await server.exited;
      }
    },
    PROCESS_TEST_TIMEOUT_MS,
  );
});
