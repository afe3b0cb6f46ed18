import { describe, expect, it } from 'vitest';
import type { SessionIdentityRow } from '../db/identity.js';
import { identityHeaders, remoteUser } from './identityHeaders.js';

const row: SessionIdentityRow = {
  session_id: 's', user_id: 'u1', credential_id: 'c', host: 'app.example.com', expires_at: 0, last_seen_at: 0, authenticated_at: 0,
  display_name: 'Ada', email: 'ada@example.com', email_verified: 1, username: 'ada', org_id: 'o', org_name: 'Org', role_id: 'r', role_name: 'Role',
};
const named = (headers: string[]) => Object.fromEntries(headers.flatMap((value, i) => (i % 2 === 0 ? [[value, headers[i + 1]]] : [])));

describe('identityHeaders', () => {
  it('sends Remote-Email and Remote-Username when the person has them', () => {
    expect(named(identityHeaders(row, ['app:read'], 'id'))).toMatchObject({ 'Remote-User': 'u1', 'Remote-Email': 'ada@example.com', 'Remote-Username': 'ada' });
  });

  it('leaves out an unverified email and a missing username rather than sending them empty', () => {
    const headers = named(identityHeaders({ ...row, email_verified: 0, username: null }, [], 'id'));
    expect(headers).not.toHaveProperty('Remote-Email');
    expect(headers).not.toHaveProperty('Remote-Username');
  });

  it('encodes an email that would read as encoded', () => {
    expect(named(identityHeaders({ ...row, email: "UTF-8''x@example.com" }, [], 'id'))['Remote-Email']).toBe("UTF-8''UTF-8%27%27x%40example.com");
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
