import { describe, expect, it } from 'vitest';
import type { SessionIdentityRow } from '../db/identity.js';
import { Identity } from './identity.js';
import { allowHeaders, clientSubject, personSubject, remoteUser } from './identityHeaders.js';

const row: SessionIdentityRow = {
  session_id: 's', user_id: 'u1', credential_id: 'c', host: 'app.example.com', expires_at: 0, last_seen_at: 0, authenticated_at: 0,
  display_name: 'Ada', email: 'ada@example.com', email_verified: 1, username: 'ada', org_id: 'o', org_name: 'Org', role_id: 'r', role_name: 'Role',
};
const named = (headers: string[]) => Object.fromEntries(headers.flatMap((value, i) => (i % 2 === 0 ? [[value, headers[i + 1]]] : [])));

const personHeaders = (person: SessionIdentityRow, scopes: string[] = []) => named([...personSubject(person, 'app.example.com', scopes, 'id').headers]);

describe('personSubject', () => {
  it('sends Remote-Email and Remote-Username when the person has them', () => {
    expect(personHeaders(row, ['app:read'])).toMatchObject({ 'Remote-User': 'u1', 'Remote-Email': 'ada@example.com', 'Remote-Username': 'ada' });
  });

  it('leaves out an unverified email and a missing username rather than sending them empty', () => {
    const headers = personHeaders({ ...row, email_verified: 0, username: null });
    expect(headers).not.toHaveProperty('Remote-Email');
    expect(headers).not.toHaveProperty('Remote-Username');
  });

  it('encodes an email that would read as encoded', () => {
    expect(personHeaders({ ...row, email: "UTF-8''x@example.com" })['Remote-Email']).toBe("UTF-8''UTF-8%27%27x%40example.com");
  });
});

describe('allowHeaders', () => {
  const own = { sessionId: 's', expiresAt: Date.UTC(2030, 0, 1), lastSeenAt: 0, authenticatedAt: 0 } as const;

  it("answers a session with its request id, its person's headers, its expiry and its passkey", () => {
    const subject = personSubject(row, 'app.example.com', ['app:read', 'app:write'], 'id');
    const headers = allowHeaders(new Identity(subject, { ...own, sourceHeader: 'Remote-Credential', source: 'c1' }), 'req-1');
    expect(named(headers)).toEqual({
      'X-Request-Id': 'req-1', 'Remote-User': 'u1', 'Remote-Name': 'Ada', 'Remote-Org': 'o', 'Remote-Org-Name': 'Org', 'Remote-Role': 'r', 'Remote-Role-Name': 'Role',
      'Remote-Groups': 'app:read,app:write', 'Cache-Control': 'no-store', 'Remote-Email': 'ada@example.com', 'Remote-Username': 'ada',
      'Remote-Session-Expires': '2030-01-01T00:00:00.000Z', 'Remote-Credential': 'c1',
    });
  });

  it('answers a client acting as itself with its own name and organisation, no role, and Remote-Client', () => {
    const subject = clientSubject({ id: 'svc', name: 'Monitor', orgId: 'o', orgName: 'Org' }, 'app.example.com', ['reports:read']);
    expect(named(allowHeaders(new Identity(subject, { ...own, sourceHeader: 'Remote-Client', source: 'svc' }), 'req-2'))).toEqual({
      'X-Request-Id': 'req-2', 'Remote-User': 'svc', 'Remote-Name': 'Monitor', 'Remote-Org': 'o', 'Remote-Org-Name': 'Org', 'Remote-Groups': 'reports:read',
      'Cache-Control': 'no-store', 'Remote-Session-Expires': '2030-01-01T00:00:00.000Z', 'Remote-Client': 'svc',
    });
  });
});

describe('remoteUser', () => {
  it.each([
    ['id', row, 'u1'],
    ['username', row, 'ada'],
    ['email', row, 'ada@example.com'],
    ['username', { ...row, username: null }, 'u1'],
    ['email', { ...row, email: null, email_verified: 0 }, 'u1'],
    ['email', { ...row, email_verified: 0 }, 'u1'],
  ] as const)('%s of %j is %s (the id when the field is missing or unverified)', (field, person, expected) => {
    expect(remoteUser(person, field)).toBe(expected);
  });
});
