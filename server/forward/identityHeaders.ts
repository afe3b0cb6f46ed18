/**
 * The `Remote-*` headers of a forward-auth 204. A subject's are built once, when it is loaded
 * (see IdentityCache), and shared by its sessions; per answer they are only copied into one list
 * with the session's own two. Headers.md documents each one.
 */
import type { RemoteUserField } from '../config.js';
import type { SessionIdentityRow } from '../db/identity.js';
import { REQUEST_ID_HEADER } from '../http/requestId.js';
import { encodeHeaderValue } from './headerValue.js';
import type { Identity, Subject } from './identity.js';

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

/** The headers whose values many people have in common (their organisation's, their role's, their permissions). */
export const HEADERS_SHARED_BY_MANY: ReadonlySet<string> = new Set(['Remote-Org', 'Remote-Org-Name', 'Remote-Role', 'Remote-Role-Name', 'Remote-Groups']);

/**
 * A person on a host: what every one of their sessions there (and their Bearer tokens) sends.
 * @param row the person, their organisation and role
 * @param scopes their effective permission scopes on `host`, sorted
 * @param remoteUserField what `Remote-User` carries (`--remote-user`)
 * @returns headers without `Remote-Email` and `Remote-Username` when the person has none
 */
export function personSubject(row: PersonIdentityRow, host: string, scopes: readonly string[], remoteUserField: RemoteUserField): Subject {
  const headers = [
    'Remote-User', remoteUser(row, remoteUserField),
    'Remote-Name', encodeHeaderValue(row.display_name),
    'Remote-Org', row.org_id,
    'Remote-Org-Name', encodeHeaderValue(row.org_name),
    'Remote-Role', row.role_id,
    'Remote-Role-Name', encodeHeaderValue(row.role_name),
    'Remote-Groups', scopes.join(','),
    'Cache-Control', 'no-store',
  ];
  const email = verifiedEmail(row);
  if (email !== null) headers.push('Remote-Email', encodeHeaderValue(email));
  if (row.username !== null) headers.push('Remote-Username', encodeHeaderValue(row.username));
  return { userId: row.user_id, displayName: row.display_name, host, scopes, headers };
}

/**
 * A client acting as itself (client credentials): `Remote-User` is its client id, `Remote-Name`
 * its name, `Remote-Org*` its organisation, `Remote-Groups` the permission scopes of its token.
 * No role, email or username: there is no person.
 */
export function clientSubject(client: { id: string; name: string; orgId: string; orgName: string }, host: string, scopes: readonly string[]): Subject {
  const headers = [
    'Remote-User', client.id,
    'Remote-Name', encodeHeaderValue(client.name),
    'Remote-Org', client.orgId,
    'Remote-Org-Name', encodeHeaderValue(client.orgName),
    'Remote-Groups', scopes.join(','),
    'Cache-Control', 'no-store',
  ];
  return { userId: client.id, displayName: client.name, host, scopes, headers };
}

/**
 * The headers of a 204, for writeHead: the request id, the subject's, then the session's or
 * token's own `Remote-Session-Expires` and `Remote-Credential` (a session's passkey) or
 * `Remote-Client` (a token's app). The one list forward auth allocates per answer.
 */
export function allowHeaders(identity: Identity, requestId: string): string[] {
  return [REQUEST_ID_HEADER, requestId, ...identity.subject.headers, 'Remote-Session-Expires', identity.expires, identity.sourceHeader, identity.source];
}
