import { describe, expect, it } from 'vitest';
import { judge } from './verdict.js';
import { parseForwardQuery, type ParsedQuery } from './permQuery.js';
import { Identity } from './identity.js';

const NOW = 1_000_000;
const identity = new Identity(
  { userId: 'u', displayName: 'Ann', host: 'app.example.com', scopes: ['app:read'], headers: [] },
  { sessionId: 's', expiresAt: NOW + 1, lastSeenAt: NOW - 10, authenticatedAt: NOW - 60_000, sourceHeader: 'Remote-Credential', source: 'c' },
);
const query = (raw: string) => parseForwardQuery(raw) as ParsedQuery & { ok: true };

describe('judge', () => {
  it('allows a live session on its host that has the permission and a recent enough sign-in', () => {
    expect(judge(identity, 'app.example.com', query('perm=app:read&max_age=2m'), NOW)).toEqual({ allow: true, identity });
  });

  it('asks for a sign-in without a session, on another host, or once the session lapsed', () => {
    const login = { allow: false, mode: 'login', identity: null };
    expect(judge(null, 'app.example.com', query(''), NOW)).toEqual(login);
    expect(judge(identity, 'other.example.com', query(''), NOW)).toEqual(login);
    expect(judge(identity, 'app.example.com', query(''), NOW + 1)).toEqual(login);
  });

  it('asks for a fresh passkey use before checking permissions, then refuses what is not granted', () => {
    expect(judge(identity, 'app.example.com', query('perm=app:write&max_age=30s'), NOW)).toMatchObject({ allow: false, mode: 'reauth' });
    expect(judge(identity, 'app.example.com', query('perm=app:write'), NOW)).toMatchObject({ allow: false, mode: 'forbidden' });
  });
});
