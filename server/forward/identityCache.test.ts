/**
 * The cache policy against counting queries; forward.test.ts checks the same cache
 * against the real database (every change takes effect on the next request).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { IdentityQueries, SessionIdentityRow } from '../db/identity.js';
import { hashSecret } from '../crypto/tokens.js';
import { IdentityCache } from './identityCache.js';
import type { Identity } from './identity.js';
import { allowHeaders } from './identityHeaders.js';

/**
 * Sessions whose token is `token-N` (by default each of its own person `uN`), a count of lookups per
 * token, and `change` to edit what the database holds as an update would, without telling the cache.
 */
function sessionsStore() {
  const rows = new Map<string, SessionIdentityRow>();
  const lookups = new Map<string, number>();
  let scopes = ['app:read', 'app:write'];
  const keyOf = (n: number) => Buffer.from(hashSecret(`token-${n}`)).toString('hex');
  const add = (n: number, fields: Partial<SessionIdentityRow> = {}) => {
    const person = fields.user_id ?? `u${n}`;
    rows.set(keyOf(n), {
      session_id: `s${n}`, user_id: person, credential_id: `c${n}`, host: 'app.example.com',
      expires_at: Date.UTC(2030, 0, 1), last_seen_at: 0, authenticated_at: 0, display_name: `Person ${person}`,
      email: null, email_verified: 0, username: null, org_id: 'o', org_name: 'Org', role_id: 'r', role_name: 'Role',
      ...fields,
    });
  };
  const change = (userId: string, fields: Partial<SessionIdentityRow>, newScopes = scopes) => {
    for (const [key, row] of rows) if (row.user_id === userId) rows.set(key, { ...row, ...fields });
    scopes = newScopes;
  };
  const queries: IdentityQueries = {
    sessionIdentity(tokenHash) {
      const key = Buffer.from(tokenHash).toString('hex');
      lookups.set(key, (lookups.get(key) ?? 0) + 1);
      // Fresh strings per row, as the database driver gives.
      const row = rows.get(key);
      return row && structuredClone(row);
    },
    effectiveScopes: () => [...scopes],
  };
  const lookupsOf = (n: number) => lookups.get(keyOf(n)) ?? 0;
  return { add, change, queries, lookupsOf };
}

/** The identity a synchronous store answers at once. */
function now(cache: IdentityCache, token: string): Identity | null {
  const identity = cache.get(token);
  if (identity instanceof Promise) throw new Error('a synchronous store answered with a Promise');
  return identity;
}

describe('IdentityCache', () => {
  it('loads a session once and prepares its headers', () => {
    const store = sessionsStore();
    store.add(1, { display_name: 'Zoë' });
    const cache = new IdentityCache(store.queries);
    // Synchronous queries (SQLite) answer a miss synchronously, too: no Promise on the hot path.
    const identity = now(cache, 'token-1');
    expect(cache.get('token-1')).toBe(identity);
    expect(store.lookupsOf(1)).toBe(1);
    expect(identity).toMatchObject({ sessionId: 's1', userId: 'u1', scopes: ['app:read', 'app:write'] });
    const headers = allowHeaders(identity!, 'r1');
    expect(headers).toEqual(expect.arrayContaining(['Remote-Name', "UTF-8''Zo%C3%AB", 'Remote-Groups', 'app:read,app:write']));
    expect(headers).toContain('2030-01-01T00:00:00.000Z');
  });

  it("shares one subject between a person's sessions on one host, each keeping its own id, passkey and expiry", () => {
    const store = sessionsStore();
    store.add(1, { user_id: 'ada' });
    store.add(2, { user_id: 'ada', expires_at: Date.UTC(2031, 0, 1) });
    store.add(3, { user_id: 'ada', host: 'other.example.com' });
    store.add(4);
    const cache = new IdentityCache(store.queries);
    const [one, two, otherHost, otherPerson] = [1, 2, 3, 4].map((n) => now(cache, `token-${n}`)!);
    expect(two!.subject).toBe(one!.subject);
    expect(otherHost!.subject).not.toBe(one!.subject);
    expect(otherPerson!.subject).not.toBe(one!.subject);
    // Another person of the same organisation and role: their own subject, the same scope list.
    expect(otherPerson!.scopes).toBe(one!.scopes);
    expect([one!.sessionId, one!.source, one!.expires]).toEqual(['s1', 'c1', '2030-01-01T00:00:00.000Z']);
    expect([two!.sessionId, two!.source, two!.expires]).toEqual(['s2', 'c2', '2031-01-01T00:00:00.000Z']);
  });

  it("gives each of a person's sessions its own passkey's id, whichever passkey their subject met first", () => {
    const store = sessionsStore();
    store.add(1, { user_id: 'ada', credential_id: 'laptop' });
    store.add(2, { user_id: 'ada', credential_id: 'phone' });
    store.add(3, { user_id: 'ada', credential_id: 'laptop' });
    const cache = new IdentityCache(store.queries);
    const sessions = [1, 2, 3].map((n) => now(cache, `token-${n}`)!);
    expect(sessions.map((identity) => identity.source)).toEqual(['laptop', 'phone', 'laptop']);
    expect(sessions.map((identity) => allowHeaders(identity, 'r').slice(-2))).toEqual([1, 2, 3].map((n) => ['Remote-Credential', n === 2 ? 'phone' : 'laptop']));
    expect(new Set(sessions.map((identity) => identity.subject)).size).toBe(1);
  });

  it("takes a person's role and permission change to every one of their sessions on clear", () => {
    const store = sessionsStore();
    for (const n of [1, 2, 3]) store.add(n, { user_id: 'ada' });
    const cache = new IdentityCache(store.queries);
    for (const n of [1, 2, 3]) now(cache, `token-${n}`);
    store.change('ada', { role_id: 'viewer', role_name: 'Viewer' }, ['app:read']);
    cache.clear();
    const reloaded = [1, 2, 3].map((n) => now(cache, `token-${n}`)!);
    for (const identity of reloaded) {
      expect(identity.scopes).toEqual(['app:read']);
      expect(allowHeaders(identity, 'r')).toEqual(expect.arrayContaining(['Remote-Role', 'viewer', 'Remote-Role-Name', 'Viewer', 'Remote-Groups', 'app:read']));
      expect(identity.subject).toBe(reloaded[0]!.subject);
    }
  });

  it("forgets one session of a person and keeps the others, still sharing with the one reloaded", () => {
    const store = sessionsStore();
    for (const n of [1, 2]) store.add(n, { user_id: 'ada' });
    const cache = new IdentityCache(store.queries);
    const kept = now(cache, 'token-2');
    now(cache, 'token-1');
    cache.forget([hashSecret('token-1')]);
    expect(now(cache, 'token-2')).toBe(kept);
    expect(now(cache, 'token-1')!.subject).toBe(kept!.subject);
    expect([store.lookupsOf(1), store.lookupsOf(2)]).toEqual([2, 1]);
  });

  it('shares no subject that the database no longer matches, even when no clear announced the change', async () => {
    const store = sessionsStore();
    for (const n of [1, 2]) store.add(n, { user_id: 'ada' });
    const cache = new IdentityCache(store.queries, 'id', 10, 200);
    const before = now(cache, 'token-1');
    store.change('ada', { display_name: 'Ada L.' });
    // Past the maximum age every entry is reloaded; a new session of the person is loaded now.
    const fresh = now(cache, 'token-2');
    expect(fresh!.displayName).toBe('Ada L.');
    expect(fresh!.subject).not.toBe(before!.subject);
    await sleep(250);
    expect(now(cache, 'token-1')!.subject).toBe(fresh!.subject);
  });

  it('answers null for an unknown token', () => {
    const store = sessionsStore();
    expect(new IdentityCache(store.queries).get('token-9')).toBeNull();
  });

  it('forgets ended sessions by token hash, and everything on clear', () => {
    const store = sessionsStore();
    store.add(1);
    store.add(2);
    const cache = new IdentityCache(store.queries);
    cache.get('token-1');
    cache.get('token-2');
    cache.forget([hashSecret('token-1')]);
    cache.get('token-1');
    cache.get('token-2');
    expect([store.lookupsOf(1), store.lookupsOf(2)]).toEqual([2, 1]);
    cache.clear();
    cache.get('token-2');
    expect(store.lookupsOf(2)).toBe(2);
  });

  it('keeps a session in use while many others come and go, within its bound', () => {
    const store = sessionsStore();
    for (let n = 0; n < 1000; n++) store.add(n);
    const cache = new IdentityCache(store.queries, 'id', 10);
    for (let n = 1; n < 1000; n++) {
      cache.get('token-0');
      cache.get(`token-${n}`);
    }
    expect(store.lookupsOf(0)).toBe(1);
    // Bounded: token-1 was pushed out long ago and is loaded again.
    cache.get('token-1');
    expect(store.lookupsOf(1)).toBe(2);
  });

  it('while untrusted, reads the database on every lookup and keeps nothing', () => {
    const store = sessionsStore();
    store.add(1);
    const cache = new IdentityCache(store.queries);
    cache.get('token-1');
    cache.setTrusted(false);
    cache.get('token-1');
    cache.get('token-1');
    expect(store.lookupsOf(1)).toBe(3);
    cache.setTrusted(true);
    cache.get('token-1');
    cache.get('token-1');
    expect(store.lookupsOf(1)).toBe(4);
  });

  it('reloads an entry once it reaches the maximum age', async () => {
    const store = sessionsStore();
    store.add(1);
    const cache = new IdentityCache(store.queries, 'id', 10, 200);
    cache.get('token-1');
    cache.get('token-1');
    expect(store.lookupsOf(1)).toBe(1);
    await sleep(250);
    cache.get('token-1');
    expect(store.lookupsOf(1)).toBe(2);
  });

  it('answers a miss with a Promise when the store does (PostgreSQL), then hits synchronously', async () => {
    const store = sessionsStore();
    store.add(1);
    const cache = new IdentityCache(asynchronous(store.queries));
    const pending = cache.get('token-1');
    expect(pending).toBeInstanceOf(Promise);
    const identity = await pending;
    expect(identity).toMatchObject({ sessionId: 's1' });
    expect(cache.get('token-1')).toBe(identity);
    expect(await cache.get('token-9')).toBeNull();
  });

  it('does not cache a lookup that a forget or clear overtook, so a revocation is never undone', async () => {
    const store = sessionsStore();
    store.add(1);
    const cache = new IdentityCache(asynchronous(store.queries));
    const pending = cache.get('token-1');
    cache.forget([hashSecret('token-1')]);
    expect(await pending).toMatchObject({ sessionId: 's1' });
    await cache.get('token-1');
    expect(store.lookupsOf(1)).toBe(2);
    const again = cache.get('token-1');
    expect(again).not.toBeInstanceOf(Promise);
  });
});

/** The same queries answering later, as on PostgreSQL. */
function asynchronous(queries: IdentityQueries): IdentityQueries {
  return {
    sessionIdentity: async (tokenHash) => queries.sessionIdentity(tokenHash),
    effectiveScopes: async (orgId, roleId, host) => queries.effectiveScopes(orgId, roleId, host),
  };
}
