/**
 * A person's connections to apps (OpenID Connect clients), as their account page and the admin's
 * user page show them: the person's grants and remembered consent, per client. Disconnecting
 * (server/api/connectedApps.ts) ends both at once, so the app's tokens stop working and its next
 * sign-in asks again where consent applies.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

/** One grant of the person, with its client's name and when the app last refreshed from it. */
export interface GrantUse {
  clientId: string;
  clientName: string;
  scope: string;
  createdAt: number;
  /** Newest refresh token issued from it (each refresh issues one), or null. */
  refreshedAt: number | null;
  live: boolean;
}

/** Consent the person gave a client. */
export interface ConsentRecord {
  clientId: string;
  clientName: string;
  scope: string;
  grantedAt: number;
}

/** A client the person is connected to: a live grant or remembered consent. */
export interface AppConnection {
  clientId: string;
  name: string;
  firstUsedAt: number;
  lastUsedAt: number;
  /** Scopes of the live grants and of the consent, each once. */
  scopes: string[];
}

/**
 * The person's connections, by app name. Times come from every grant still stored (revoked ones
 * too, until the sweep removes them), so "first used" survives a sign-out; a client shows only
 * while a grant of it lives or consent is remembered.
 */
export function appConnections(grants: readonly GrantUse[], consents: readonly ConsentRecord[]): AppConnection[] {
  const byClient = new Map<string, AppConnection & { connected: boolean }>();
  const entry = (clientId: string, name: string, at: number) => {
    let found = byClient.get(clientId);
    if (!found) byClient.set(clientId, (found = { clientId, name, firstUsedAt: at, lastUsedAt: at, scopes: [], connected: false }));
    return found;
  };
  const addScopes = (connection: AppConnection, scope: string) => {
    for (const one of scope.split(' ')) if (one && !connection.scopes.includes(one)) connection.scopes.push(one);
  };
  for (const grant of grants) {
    const connection = entry(grant.clientId, grant.clientName, grant.createdAt);
    connection.firstUsedAt = Math.min(connection.firstUsedAt, grant.createdAt);
    connection.lastUsedAt = Math.max(connection.lastUsedAt, grant.createdAt, grant.refreshedAt ?? 0);
    if (grant.live) {
      connection.connected = true;
      addScopes(connection, grant.scope);
    }
  }
  for (const consent of consents) {
    const connection = entry(consent.clientId, consent.clientName, consent.grantedAt);
    connection.connected = true;
    addScopes(connection, consent.scope);
  }
  return [...byClient.values()]
    .filter((connection) => connection.connected)
    .map(({ connected: _connected, ...connection }) => connection)
    .sort((a, b) => a.name.localeCompare(b.name) || a.clientId.localeCompare(b.clientId));
}

/** The person's connections to apps, read from their grants and consent. */
export async function listAppConnections(db: Db, userId: string, now: number): Promise<AppConnection[]> {
  const [grants, consents] = await Promise.all([
    db
      .selectFrom('oidc_grants')
      .innerJoin('oidc_clients', 'oidc_clients.id', 'oidc_grants.client_id')
      .where('oidc_grants.user_id', '=', userId)
      .select((eb) => [
        'oidc_grants.client_id as clientId',
        'oidc_clients.name as clientName',
        'oidc_grants.scope as scope',
        'oidc_grants.created_at as createdAt',
        'oidc_grants.revoked_at as revokedAt',
        'oidc_grants.expires_at as expiresAt',
        eb.selectFrom('oidc_refresh_tokens').whereRef('oidc_refresh_tokens.grant_id', '=', 'oidc_grants.id').select((sub) => sub.fn.max('oidc_refresh_tokens.created_at').as('at')).as('refreshedAt'),
      ])
      .execute(),
    db
      .selectFrom('oidc_consents')
      .innerJoin('oidc_clients', 'oidc_clients.id', 'oidc_consents.client_id')
      .where('oidc_consents.user_id', '=', userId)
      .select(['oidc_consents.client_id as clientId', 'oidc_clients.name as clientName', 'oidc_consents.scope as scope', 'oidc_consents.granted_at as grantedAt'])
      .execute(),
  ]);
  const uses: GrantUse[] = grants.map(({ revokedAt, expiresAt, refreshedAt, ...grant }) => ({
    ...grant,
    refreshedAt: refreshedAt === null ? null : Number(refreshedAt),
    live: revokedAt === null && expiresAt > now,
  }));
  return appConnections(uses, consents);
}

/** Forgets the consent the person gave the client (disconnecting an app); says whether there was one. */
export async function forgetOidcConsent(db: Db, userId: string, clientId: string): Promise<boolean> {
  const forgotten = await db.deleteFrom('oidc_consents').where('user_id', '=', userId).where('client_id', '=', clientId).executeTakeFirst();
  return Number(forgotten.numDeletedRows) > 0;
}
