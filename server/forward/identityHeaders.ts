/**
 * The `Remote-*` headers of a forward-auth 204, built once when a session's identity
 * is loaded (see IdentityCache), never per request. Headers.md documents each one.
 */
import type { RemoteUserField } from '../config.js';
import type { SessionIdentityRow } from '../db/identity.js';
import { encodeHeaderValue } from './headerValue.js';

/** The person part of a session's row: what a person's Bearer token carries too. */
export type PersonIdentityRow = Pick<SessionIdentityRow, 'user_id' | 'display_name' | 'email' | 'email_verified' | 'username' | 'org_id' | 'org_name' | 'role_id' | 'role_name'>;

/**
 * The email apps may trust: only one an admin verified. People set their own address
 * unverified, and apps that match accounts by email would otherwise let anyone claim
 * someone else's account there by typing their address.
 */
export function verifiedEmail(row: PersonIdentityRow): string | null {
  return row.email !== null && row.email_verified === 1 ? row.email : null;
}

/**
 * What `Remote-User` carries: the chosen field, or the id when the person has none, so the
 * header is never empty (an app could take an empty user for one shared account).
 */
export function remoteUser(row: PersonIdentityRow, field: RemoteUserField): string {
  const value = field === 'username' ? row.username : field === 'email' ? verifiedEmail(row) : null;
  return value === null ? row.user_id : encodeHeaderValue(value);
}

/** A person's headers; `credential` is the session's passkey (a Bearer token has none), `client` the token's app. */
function personHeaders(row: PersonIdentityRow, scopes: readonly string[], remoteUserField: RemoteUserField, expiresAt: number, from: { credential: string } | { client: string }): string[] {
  const headers = [
    'Remote-User', remoteUser(row, remoteUserField),
    'Remote-Name', encodeHeaderValue(row.display_name),
    'Remote-Org', row.org_id,
    'Remote-Org-Name', encodeHeaderValue(row.org_name),
    'Remote-Role', row.role_id,
    'Remote-Role-Name', encodeHeaderValue(row.role_name),
    'Remote-Groups', scopes.join(','),
    'Remote-Session-Expires', new Date(expiresAt).toISOString(),
    ...('credential' in from ? ['Remote-Credential', from.credential] : ['Remote-Client', from.client]),
    'Cache-Control', 'no-store',
  ];
  const email = verifiedEmail(row);
  if (email !== null) headers.push('Remote-Email', encodeHeaderValue(email));
  if (row.username !== null) headers.push('Remote-Username', encodeHeaderValue(row.username));
  return headers;
}

/**
 * @param row the session and its person
 * @param scopes effective permission scopes on the session's host, sorted
 * @param remoteUserField what `Remote-User` carries (`--remote-user`)
 * @returns a flat [name, value, …] list for writeHead; `Remote-Email` and `Remote-Username` only when set
 */
export function identityHeaders(row: SessionIdentityRow, scopes: readonly string[], remoteUserField: RemoteUserField): string[] {
  return personHeaders(row, scopes, remoteUserField, row.expires_at, { credential: row.credential_id });
}

/**
 * A person's access token (forward auth with `Authorization: Bearer`): the session's headers, with
 * the token's expiry as `Remote-Session-Expires` and `Remote-Client` (the app it was issued to)
 * instead of `Remote-Credential`.
 */
export function personTokenHeaders(row: PersonIdentityRow, scopes: readonly string[], remoteUserField: RemoteUserField, expiresAt: number, clientId: string): string[] {
  return personHeaders(row, scopes, remoteUserField, expiresAt, { client: clientId });
}

/**
 * A client-credentials token (a client acting as itself): `Remote-User` and `Remote-Client` are
 * its client id, `Remote-Name` its name, `Remote-Org*` its organisation, `Remote-Groups` the
 * permission scopes of the token. No role, email, username or passkey: there is no person.
 */
export function clientTokenHeaders(client: { id: string; name: string; orgId: string; orgName: string }, scopes: readonly string[], expiresAt: number): string[] {
  return [
    'Remote-User', client.id,
    'Remote-Name', encodeHeaderValue(client.name),
    'Remote-Org', client.orgId,
    'Remote-Org-Name', encodeHeaderValue(client.orgName),
    'Remote-Groups', scopes.join(','),
    'Remote-Session-Expires', new Date(expiresAt).toISOString(),
    'Remote-Client', client.id,
    'Cache-Control', 'no-store',
  ];
}
