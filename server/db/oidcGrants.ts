/**
 * Queries on OIDC grants and what hangs from them: authorization codes, refresh tokens, and the
 * consent a person gave a client. Codes and refresh tokens are found by their hash; using one
 * marks it used in the same statement, so two concurrent uses cannot both succeed.
 */
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { Bytes, Database, OidcCode, OidcGrant, OidcRefreshToken } from './schema.js';

type Db = Kysely<Database>;

export type NewOidcGrant = Omit<OidcGrant, 'id' | 'created_at' | 'revoked_at'>;

/** The outcome of presenting a single-use secret (a code or a refresh token). */
export type SecretUse<Row> = { kind: 'used'; row: Row } | { kind: 'reused'; row: Row } | { kind: 'unknown' };

export async function insertOidcGrant(db: Db, values: NewOidcGrant, now: number): Promise<OidcGrant> {
  const grant: OidcGrant = { ...values, id: uuidv7(), created_at: now, revoked_at: null };
  await db.insertInto('oidc_grants').values(grant).execute();
  return grant;
}

export async function findOidcGrant(db: Db, id: string): Promise<OidcGrant | undefined> {
  return db.selectFrom('oidc_grants').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Whether tokens of this grant still count: not revoked, not past its absolute end. */
export function isGrantLive(grant: Pick<OidcGrant, 'revoked_at' | 'expires_at'>, now: number): boolean {
  return grant.revoked_at === null && grant.expires_at > now;
}

/** Which live grants to end: by id, by the sign-ins (sessions) they began in, or all of a person's (of one client). */
export type GrantSelection =
  | { grantIds: readonly string[] }
  | { sessionIds: readonly string[] }
  | { userId: string; clientId?: string };

/** A grant just ended: whom and which app it was for, and the sign-in it began in. */
export type EndedGrant = Pick<OidcGrant, 'id' | 'client_id' | 'user_id' | 'session_id'>;

/**
 * Revokes the selected live grants: their access tokens stop working (verification checks the
 * grant) and their unused refresh tokens are deleted. Grants already revoked or past their end
 * are left alone, so each grant is reported ended once.
 */
export async function endOidcGrants(db: Db, which: GrantSelection, now: number): Promise<EndedGrant[]> {
  let query = db.updateTable('oidc_grants').set({ revoked_at: now }).where('revoked_at', 'is', null).where('expires_at', '>', now);
  if ('grantIds' in which) {
    if (which.grantIds.length === 0) return [];
    query = query.where('id', 'in', which.grantIds);
  } else if ('sessionIds' in which) {
    if (which.sessionIds.length === 0) return [];
    query = query.where('session_id', 'in', which.sessionIds);
  } else {
    query = query.where('user_id', '=', which.userId);
    if (which.clientId !== undefined) query = query.where('client_id', '=', which.clientId);
  }
  const ended = await query.returning(['id', 'client_id', 'user_id', 'session_id']).execute();
  if (ended.length > 0) {
    await db.deleteFrom('oidc_refresh_tokens').where('grant_id', 'in', ended.map((grant) => grant.id)).where('used_at', 'is', null).execute();
  }
  return ended;
}

export async function insertOidcCode(db: Db, code: Omit<OidcCode, 'used_at'>): Promise<void> {
  await db.insertInto('oidc_codes').values({ ...code, used_at: null }).execute();
}

/** Marks the code used; says whether this call used it, or it was used before, or no such code exists. */
export async function useOidcCode(db: Db, codeHash: Bytes, now: number): Promise<SecretUse<OidcCode>> {
  const used = await db.updateTable('oidc_codes').set({ used_at: now }).where('code_hash', '=', codeHash).where('used_at', 'is', null).returningAll().executeTakeFirst();
  if (used) return { kind: 'used', row: used };
  const seen = await db.selectFrom('oidc_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
  return seen ? { kind: 'reused', row: seen } : { kind: 'unknown' };
}

export async function insertOidcRefreshToken(db: Db, token: Omit<OidcRefreshToken, 'used_at'>): Promise<void> {
  await db.insertInto('oidc_refresh_tokens').values({ ...token, used_at: null }).execute();
}

/** Marks the refresh token used (it rotates); the same three outcomes as {@link useOidcCode}. */
export async function useOidcRefreshToken(db: Db, tokenHash: Bytes, now: number): Promise<SecretUse<OidcRefreshToken>> {
  const used = await db
    .updateTable('oidc_refresh_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  if (used) return { kind: 'used', row: used };
  const seen = await db.selectFrom('oidc_refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  return seen ? { kind: 'reused', row: seen } : { kind: 'unknown' };
}

/** A refresh token by its hash, used or not (a look that changes nothing, for revocation and introspection). */
export async function findOidcRefreshToken(db: Db, tokenHash: Bytes): Promise<OidcRefreshToken | undefined> {
  return db.selectFrom('oidc_refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** The scopes the person agreed to give the client, or null when they never did. */
export async function findOidcConsent(db: Db, userId: string, clientId: string): Promise<string[] | null> {
  const row = await db.selectFrom('oidc_consents').select('scope').where('user_id', '=', userId).where('client_id', '=', clientId).executeTakeFirst();
  return row ? row.scope.split(' ').filter(Boolean) : null;
}

/** Records consent to `scopes` (added to what was agreed before). */
export async function saveOidcConsent(db: Db, userId: string, clientId: string, scopes: readonly string[], now: number): Promise<void> {
  const before = (await findOidcConsent(db, userId, clientId)) ?? [];
  const scope = [...new Set([...before, ...scopes])].join(' ');
  await db
    .insertInto('oidc_consents')
    .values({ user_id: userId, client_id: clientId, scope, granted_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'client_id']).doUpdateSet({ scope, granted_at: now }))
    .execute();
}

/** Deletes codes and refresh tokens past their end, and grants past their absolute end (housekeeping). */
export async function deleteExpiredOidcGrants(db: Db, now: number): Promise<void> {
  await db.deleteFrom('oidc_codes').where('expires_at', '<=', now).execute();
  await db.deleteFrom('oidc_refresh_tokens').where('expires_at', '<=', now).execute();
  await db.deleteFrom('oidc_grants').where('expires_at', '<=', now).execute();
}
