/**
 * The cache policy against counting queries; forward.test.ts checks the same cache
 * against the real database (every change takes effect on the next request).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { IdentityQueries, SessionIdentityRow } from '../db/identity.js';
import { hashSecret } from '../crypto/tokens.js';
import { IdentityCache } from './identityCache.js';

/** Sessions whose token is `token-N`, and a count of lookups per token. */
function sessionsStore() {
  const rows = new Map<string, SessionIdentityRow>();
  const lookups = new Map<string, number>();
  const add = (n: number, name = `User ${n}`) =>
    rows.set(Buffer.from(hashSecret(`token-${n}`)).toString('hex'), {
      session_id: `s${n}`, user_id: `u${n}`, credential_id: `c${n}`, host: 'app.example.com',
      expires_at: Date.UTC(2030, 0, 1), last_seen_at: 0, authenticated_at: 0, display_name: name,
      email: null, email_verified: 0, username: null, org_id: 'o', org_name: 'Org', role_id: 'r', role_name: 'Role',
    });
  const queries: IdentityQueries = {
    sessionIdentity(tokenHash) {
      const key = Buffer.from(tokenHash).toString('hex');
      lookups.set(key, (lookups.get(key) ?? 0) + 1);
      return rows.get(key);
    },
    effectiveScopes: () => ['app:read', 'app:write'],
  };
  const lookupsOf = (n: number) => lookups.get(Buffer.from(hashSecret(`token-${n}`)).toString('hex')) ?? 0;
  return { add, queries, lookupsOf };
}

describe('IdentityCache', () => {
  it('loads a session once and prepares its headers', () => {
    const store = sessionsStore();
    store.add(1, 'Zoë');
    const cache = new IdentityCache(store.queries);
    const identity = cache.get('token-1');
    // Synchronous queries (SQLite) answer a miss synchronously, too: no Promise on the hot path.
    if (identity instanceof Promise) throw new Error('a synchronous store answered with a Promise');
    expect(cache.get('token-1')).toBe(identity);
    expect(store.lookupsOf(1)).toBe(1);
    expect(identity).toMatchObject({ sessionId: 's1', userId: 'u1', scopes: ['app:read', 'app:write'] });
    expect(identity!.headers).toEqual(expect.arrayContaining(['Remote-Name', "UTF-8''Zo%C3%AB", 'Remote-Groups', 'app:read,app:write']));
    expect(identity!.headers).toContain('2030-01-01T00:00:00.000Z');
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
