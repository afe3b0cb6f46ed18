/** Database rows → the passkey, session and person shapes both the account and the admin API return. */
import type { ConnectedAppInfo, CredentialInfo, HeldPermission, LinkInfo, PersonFields, SessionInfo } from '../../shared/api.js';
import type { AppConnection } from '../db/oidcConnections.js';
import { releasedClaims } from '../oidc/claims.js';
import type { ResetTokenListing } from '../db/resetTokens.js';
import type { Credential, Permission, Session, User } from '../db/schema.js';
import { authenticatorName } from '../webauthn/authenticatorName.js';

/** Milliseconds since the epoch → the ISO 8601 UTC text every API time uses. */
export const iso = (ms: number): string => new Date(ms).toISOString();

export function credentialInfo(credential: Credential, currentCredentialId: string | null): CredentialInfo {
  return {
    id: credential.id,
    name: credential.name,
    aaguid: credential.aaguid,
    authenticatorName: authenticatorName(credential.aaguid),
    createdAt: iso(credential.created_at),
    lastUsedAt: credential.last_used_at === null ? null : iso(credential.last_used_at),
    synced: credential.backup_eligible === 1 && credential.backup_state === 1,
    current: credential.id === currentCredentialId,
  };
}

export function sessionInfo(session: Session, currentSessionId: string | null): SessionInfo {
  return {
    id: session.id,
    host: session.host,
    ip: session.ip,
    userAgent: session.user_agent,
    createdAt: iso(session.created_at),
    lastSeenAt: iso(session.last_seen_at),
    expiresAt: iso(session.expires_at),
    credentialId: session.credential_id,
    current: session.id === currentSessionId,
  };
}

export const personFields = (user: Pick<User, 'email' | 'email_verified' | 'username'>): PersonFields => ({
  email: user.email,
  emailVerified: user.email_verified === 1,
  username: user.username,
});

/** An open link as listed: id, kind and times, never the token. */
export function linkInfo(link: ResetTokenListing): LinkInfo {
  return { id: link.id, kind: link.kind, createdAt: iso(link.created_at), expiresAt: iso(link.expires_at) };
}

export const heldPermission = (permission: Permission): HeldPermission => ({ scope: permission.scope, displayName: permission.display_name, domain: permission.domain });

/** A connected app as listed: times, and what it receives in the consent screen's terms. */
export const connectedAppInfo = (connection: AppConnection): ConnectedAppInfo => ({
  clientId: connection.clientId,
  name: connection.name,
  firstUsedAt: iso(connection.firstUsedAt),
  lastUsedAt: iso(connection.lastUsedAt),
  claims: releasedClaims(connection.scopes),
  offlineAccess: connection.scopes.includes('offline_access'),
});
