import { describe, expect, it } from 'vitest';
import { BEARER_ENTRY_MAX_AGE_MS, BearerTokenCache } from './bearerTokenCache.js';
import { Identity } from './identity.js';

const subject = { userId: 'u', displayName: 'Ada', host: 'app', scopes: [], headers: [] };
const identity = (expiresAt: number) => new Identity(subject, { sessionId: 'g', expiresAt, lastSeenAt: 0, authenticatedAt: 0, sourceHeader: 'Remote-Client', source: 'c' });

/** A cache over a resolver that counts its calls and answers `answer()`. */
function counting(answer: () => Identity | null) {
  const calls: string[] = [];
  const cache = new BearerTokenCache(async (token, host) => {
    calls.push(`${token}@${host}`);
    return answer();
  });
  return { cache, calls };
}

describe('BearerTokenCache', () => {
  it('verifies a token once per host while it lives', async () => {
    const { cache, calls } = counting(() => identity(10_000));
    await cache.get('t', 'app', 0);
    await cache.get('t', 'app', 1);
    await cache.get('t', 'other', 2);
    expect(calls).toEqual(['t@app', 't@other']);
  });

  it('never serves an entry past its token\'s expiry', async () => {
    let live = true;
    const { cache, calls } = counting(() => (live ? identity(5_000) : null));
    expect(await cache.get('t', 'app', 0)).not.toBeNull();
    live = false;
    expect(await cache.get('t', 'app', 5_000)).toBeNull();
    expect(calls).toHaveLength(2);
  });

  it('verifies again after the maximum age, however long the token lives', async () => {
    const { cache, calls } = counting(() => identity(Date.UTC(9999, 11, 31)));
    await cache.get('t', 'app', 0);
    await cache.get('t', 'app', BEARER_ENTRY_MAX_AGE_MS - 1);
    await cache.get('t', 'app', BEARER_ENTRY_MAX_AGE_MS);
    expect(calls).toHaveLength(2);
  });

  it('does not cache refusals, and forgets on clear, forget and while untrusted', async () => {
    let answer: Identity | null = null;
    const { cache, calls } = counting(() => answer);
    await cache.get('t', 'app', 0);
    answer = identity(10_000);
    await cache.get('t', 'app', 0);
    cache.clear();
    await cache.get('t', 'app', 0);
    cache.forget([]);
    await cache.get('t', 'app', 0);
    cache.setTrusted(false);
    await cache.get('t', 'app', 0);
    await cache.get('t', 'app', 0);
    expect(calls).toHaveLength(5);
  });
});
