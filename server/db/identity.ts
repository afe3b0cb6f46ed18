/**
 * Prepared statements for what forward auth needs about a session: who it is,
 * their organisation and role, and their effective permissions on a host.
 * Plain better-sqlite3 rather than kysely: this runs on the hot path when the
 * identity cache misses (a prepared lookup is a few microseconds).
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Bytes } from './schema.js';

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

export interface IdentityQueries {
  sessionIdentity(tokenHash: Bytes): SessionIdentityRow | undefined;
  /** Effective scopes: role permissions ∩ what the organisation may grant ∩ domain match (null domain = every host). */
  effectiveScopes(orgId: string, roleId: string, host: string): string[];
}

export function identityQueries(sqlite: BetterSqlite3.Database): IdentityQueries {
  const session = sqlite.prepare<[Bytes], SessionIdentityRow>(`
    select s.id as session_id, s.user_id, s.credential_id, s.host, s.expires_at, s.last_seen_at, s.authenticated_at,
           u.display_name, u.email, u.email_verified, u.username,
           u.org_id, o.display_name as org_name, u.role_id, r.display_name as role_name
    from sessions s
    join users u on u.id = s.user_id
    join orgs o on o.id = u.org_id
    join roles r on r.id = u.role_id
    where s.token_hash = ?`);
  const scopes = sqlite
    .prepare<[string, string, string], string>(`
    select p.scope
    from role_permissions rp
    join org_permissions op on op.permission_id = rp.permission_id and op.org_id = ?
    join permissions p on p.id = rp.permission_id
    where rp.role_id = ? and (p.domain is null or p.domain = ?)
    order by p.scope`)
    .pluck();
  return {
    sessionIdentity: (tokenHash) => session.get(tokenHash),
    effectiveScopes: (orgId, roleId, host) => scopes.all(orgId, roleId, host),
  };
}
