/**
 * Seeds a benchmark database without a browser: the server's own first start
 * (migrations, bootstrap), then bulk rows typed by the schema, so that a renamed or
 * new column fails `npm run typecheck` instead of the benchmark.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import type { Insertable } from 'kysely';
import { bootstrap } from '../../server/bootstrap/bootstrap.js';
import { hashSecret } from '../../server/crypto/tokens.js';
import { openDatabase } from '../../server/db/database.js';
import type { Bytes, Database } from '../../server/db/schema.js';
import type { SeedPasskey } from './passkeys.js';
import { HOST, tokenOf } from './tokens.js';
import { Fatal } from './workspace.js';

/** The permission every forward case asks for. */
export const PERM = 'app:read';

export interface SeedPlan {
  users: number;
  sessions: number;
  /** Token prefix of this database's sessions (see tokenOf). */
  salt: string;
  /** Name in the progress line. */
  label: string;
  /** Sessions that a case will present (1 = yes), or null for all of them. */
  addressed?: Uint8Array | null;
  /** Real passkeys for the first users' credentials (one each), for sign-ins. */
  passkeys?: readonly SeedPasskey[];
}

/** What the cases need to know of a seeded database. */
export interface SeededDatabase {
  path: string;
  salt: string;
  sessions: number;
}

/**
 * A prepared insert into `table` whose rows are typed by the schema. The column list
 * is the first row's keys, so every row of one inserter names the same columns.
 */
function rowInserter<T extends keyof Database & string>(sqlite: BetterSqlite3.Database, table: T): (row: Insertable<Database[T]>) => void {
  const prepare = (columns: string[]) =>
    sqlite.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map((column) => `@${column}`).join(', ')})`);
  let statement: BetterSqlite3.Statement | undefined;
  return (row) => {
    statement ??= prepare(Object.keys(row));
    statement.run(row);
  };
}

/**
 * UUID-shaped ids that sort in creation order, as the server's UUIDv7 ids do (a random
 * prefix, then a counter): B-tree inserts append, which keeps seeding 1M rows fast.
 */
function idGenerator(): () => string {
  const prefix = randomUUID().slice(0, 24);
  let next = 0;
  return () => prefix + (next++).toString(16).padStart(12, '0');
}

/**
 * Creates a database at `path` the way the server's first start does (migrations and
 * bootstrap), then inserts in one transaction: `app:read` granted to the org and the
 * Administrator role, `users - 1` more users in that org and role, one credential per
 * user, and `sessions` sessions on HOST, grouped by user (session i belongs to user
 * floor(i * users / sessions), so the Admin has the first ones). Session i's token is
 * tokenOf(salt, i); only the sessions flagged in `addressed` (all when null) get its
 * hash as token_hash, the others a random one: nobody presents their cookies, and
 * hashing 1M tokens would double the seeding time.
 */
export async function seedDatabase(path: string, { users, sessions, salt, label, addressed = null, passkeys = [] }: SeedPlan): Promise<SeededDatabase> {
  if (passkeys.length > users) throw new Fatal(`${passkeys.length} passkeys need as many users, got ${users}`);
  const started = performance.now();
  const database = await openDatabase(path);
  await bootstrap(database.db, Date.now());
  const admin = await database.db.selectFrom('users').select(['id', 'org_id', 'role_id']).where('display_name', '=', 'Admin').executeTakeFirst();
  if (!admin) throw new Fatal('bootstrap did not create the Admin user (schema changed?)');

  if (database.dialect !== 'sqlite') throw new Fatal('the benchmark seeds SQLite files only');
  const { sqlite } = database;
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('foreign_keys = OFF'); // consistent by construction; the server turns them back on
  sqlite.pragma('cache_size = -524288'); // 512 MiB: the B-trees stay in memory during the load
  const insertPermission = rowInserter(sqlite, 'permissions');
  const grantToOrg = rowInserter(sqlite, 'org_permissions');
  const grantToRole = rowInserter(sqlite, 'role_permissions');
  const insertUser = rowInserter(sqlite, 'users');
  const insertCredential = rowInserter(sqlite, 'credentials');
  const insertSession = rowInserter(sqlite, 'sessions');

  const now = Date.now();
  const expires = now + 6 * 24 * 60 * 60 * 1000; // within the 7-day idle limit
  const publicKey = randomBytes(77); // never verified, except the given passkeys'
  const unaddressedHashes = randomBytes(addressed ? 32 * sessions : 0);
  const tokenHash = (i: number): Bytes => (!addressed || addressed[i] ? hashSecret(tokenOf(salt, i)) : unaddressedHashes.subarray(32 * i, 32 * i + 32));
  const userId = idGenerator();
  const credentialId = idGenerator();
  const sessionId = idGenerator();
  const userIds = [admin.id];
  const credentialIds: string[] = [];
  sqlite.transaction(() => {
    const permissionId = randomUUID();
    insertPermission({ id: permissionId, scope: PERM, display_name: 'Benchmark app', domain: null, created_at: now });
    grantToOrg({ org_id: admin.org_id, permission_id: permissionId });
    grantToRole({ role_id: admin.role_id, permission_id: permissionId });
    for (let i = 1; i < users; i++) {
      const id = userId();
      insertUser({ id, display_name: `Bench user ${i}`, org_id: admin.org_id, role_id: admin.role_id, created_at: now, last_seen_at: null });
      userIds.push(id);
    }
    for (let i = 0; i < users; i++) {
      const id = credentialId();
      insertCredential({
        id,
        user_id: userIds[i]!,
        credential_id: passkeys[i]?.credentialId ?? Buffer.from(`bench-credential-${i}`),
        public_key: passkeys[i]?.publicKey ?? publicKey,
        sign_count: 0,
        transports: '["internal"]',
        aaguid: '00000000-0000-0000-0000-000000000000',
        name: 'Passkey',
        backup_eligible: 1,
        backup_state: 1,
        created_at: now,
        last_used_at: null,
      });
      credentialIds.push(id);
    }
    for (let i = 0; i < sessions; i++) {
      const user = Math.floor((i * users) / sessions);
      insertSession({
        id: sessionId(),
        token_hash: tokenHash(i),
        user_id: userIds[user]!,
        credential_id: credentialIds[user]!,
        host: HOST,
        ip: '127.0.0.1',
        user_agent: 'passkey-auth bench',
        created_at: now,
        last_seen_at: now,
        authenticated_at: now,
        expires_at: expires,
      });
    }
  })();
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  await database.close();

  const seconds = (performance.now() - started) / 1000;
  const bytes = statSync(path).size;
  console.log(
    `seeded ${label}: ${users.toLocaleString('en')} users, ${sessions.toLocaleString('en')} sessions ` +
      `in ${seconds.toFixed(1)} s (file ${(bytes / 2 ** 20).toFixed(0)} MiB)`,
  );
  return { path, salt, sessions };
}
