/**
 * What forward auth needs about a session: who it is, their organisation and role, and their
 * effective permissions on a host. Plain prepared statements rather than kysely, because this
 * runs on the hot path when the identity cache misses: on SQLite a synchronous better-sqlite3
 * lookup of a few microseconds; on PostgreSQL named statements (prepared once per connection),
 * answering with a Promise.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import type { Bytes } from './schema.js';
import type { OpenDatabase } from './database.js';

export interface SessionIdentityRow {
  session_id: string;
  user_id: string;
  credential_id: string;
  host: string;
  expires_at: number;
  last_seen_at: number;
  authenticated_at: number;
  display_name: string;
  email: string | null;
  /** 1 when an admin vouched for `email`. */
  email_verified: number;
  username: string | null;
  org_id: string;
  org_name: string;
  role_id: string;
  role_name: string;
}

/** A value now (SQLite) or later (PostgreSQL). */
export type MaybePromise<T> = T | Promise<T>;

export interface IdentityQueries {
  sessionIdentity(tokenHash: Bytes): MaybePromise<SessionIdentityRow | undefined>;
  /** Effective scopes: role permissions ∩ what the organisation may grant ∩ domain match (null domain = every host). */
  effectiveScopes(orgId: string, roleId: string, host: string): MaybePromise<string[]>;
}

/** The two queries, with each dialect's parameters (`?` in better-sqlite3, `$1` in PostgreSQL); each is used once, in order. */
const SESSION_IDENTITY_SQL = (param: (n: number) => string) => `
    select s.id as session_id, s.user_id, s.credential_id, s.host, s.expires_at, s.last_seen_at, s.authenticated_at,
           u.display_name, u.email, u.email_verified, u.username,
           u.org_id, o.display_name as org_name, u.role_id, r.display_name as role_name
    from sessions s
    join users u on u.id = s.user_id
    join orgs o on o.id = u.org_id
    join roles r on r.id = u.role_id
    where s.token_hash = ${param(1)}`;
const EFFECTIVE_SCOPES_SQL = (param: (n: number) => string) => `
    select p.scope
    from role_permissions rp
    join org_permissions op on op.permission_id = rp.permission_id and op.org_id = ${param(1)}
    join permissions p on p.id = rp.permission_id
    where rp.role_id = ${param(2)} and (p.domain is null or p.domain = ${param(3)})
    order by p.scope`;

export function identityQueries(database: OpenDatabase): IdentityQueries {
  return database.dialect === 'sqlite' ? sqliteIdentityQueries(database.sqlite) : postgresIdentityQueries(database.pool);
}

function sqliteIdentityQueries(sqlite: BetterSqlite3.Database): IdentityQueries {
  const param = () => '?';
  const session = sqlite.prepare<[Bytes], SessionIdentityRow>(SESSION_IDENTITY_SQL(param));
  const scopes = sqlite.prepare<[string, string, string], string>(EFFECTIVE_SCOPES_SQL(param)).pluck();
  return {
    sessionIdentity: (tokenHash) => session.get(tokenHash),
    effectiveScopes: (orgId, roleId, host) => scopes.all(orgId, roleId, host),
  };
}

function postgresIdentityQueries(pool: pg.Pool): IdentityQueries {
  const param = (n: number) => `$${n}`;
  const session = { name: 'session_identity', text: SESSION_IDENTITY_SQL(param) };
  const scopes = { name: 'effective_scopes', text: EFFECTIVE_SCOPES_SQL(param) };
  return {
    sessionIdentity: async (tokenHash) => (await pool.query<SessionIdentityRow>({ ...session, values: [tokenHash] })).rows[0],
    effectiveScopes: async (orgId, roleId, host) => (await pool.query<{ scope: string }>({ ...scopes, values: [orgId, roleId, host] })).rows.map((row) => row.scope),
  };
}
