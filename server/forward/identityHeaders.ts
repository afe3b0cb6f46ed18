/**
 * The `Remote-*` headers of a forward-auth 204, built once when a session's identity
 * is loaded (see IdentityCache), never per request. Headers.md documents each one.
 */
import type { RemoteUserField } from '../config.js';
import type { SessionIdentityRow } from '../db/identity.js';
import { encodeHeaderValue } from './headerValue.js';

/**
 * The email apps may trust: only one an admin verified. People set their own address
 * unverified, and apps that match accounts by email would otherwise let anyone claim
 * someone else's account there by typing their address.
 */
export function verifiedEmail(row: SessionIdentityRow): string | null {
  return row.email !== null && row.email_verified === 1 ? row.email : null;
}

/**
 * What `Remote-User` carries: the chosen field, or the id when the person has none, so the
 * header is never empty (an app could take an empty user for one shared account).
 */
export function remoteUser(row: SessionIdentityRow, field: RemoteUserField): string {
  const value = field === 'username' ? row.username : field === 'email' ? verifiedEmail(row) : null;
  return value === null ? row.user_id : encodeHeaderValue(value);
}

/**
 * @param row the session and its person
 * @param scopes effective permission scopes on the session's host, sorted
 * @param remoteUserField what `Remote-User` carries (`--remote-user`)
 * @returns a flat [name, value, …] list for writeHead; `Remote-Email` and `Remote-Username` only when set
 */
export function identityHeaders(row: SessionIdentityRow, scopes: readonly string[], remoteUserField: RemoteUserField): string[] {
  const headers = [
    'Remote-User', remoteUser(row, remoteUserField),
    'Remote-Name', encodeHeaderValue(row.display_name),
    'Remote-Org', row.org_id,
    'Remote-Org-Name', encodeHeaderValue(row.org_name),
    'Remote-Role', row.role_id,
    'Remote-Role-Name', encodeHeaderValue(row.role_name),
    'Remote-Groups', scopes.join(','),
    'Remote-Session-Expires', new Date(row.expires_at).toISOString(),
    'Remote-Credential', row.credential_id,
    'Cache-Control', 'no-store',
  ];
  const email = verifiedEmail(row);
  if (email !== null) headers.push('Remote-Email', encodeHeaderValue(email));
  if (row.username !== null) headers.push('Remote-Username', encodeHeaderValue(row.username));
  return headers;
}
