import { describe, expect, it } from 'vitest';
import { ChangeFeed, type SharedCache } from './changeFeed.js';

/** A cache that records what it was told. */
function recordingCache() {
  const calls: string[] = [];
  const cache: SharedCache = {
    forget: (keys) => void calls.push(`forget ${keys.join(',')}`),
    clear: () => void calls.push('clear'),
    setTrusted: (trusted) => void calls.push(`trusted ${trusted}`),
  };
  return { cache, calls };
}

/** Instances joined by an in-memory bus that delivers every payload to all of them, the sender included (as NOTIFY does). */
function cluster(size: number) {
  const feeds: ChangeFeed[] = [];
  const published: string[] = [];
  for (let n = 0; n < size; n++) {
    feeds.push(
      new ChangeFeed({
        publish: async (payload) => {
          published.push(payload);
          for (const feed of feeds) feed.receive(payload);
        },
      }),
    );
  }
  return { feeds, published };
}

describe('ChangeFeed', () => {
  it('on one instance applies changes in place and publishes nothing; its caches are trusted', () => {
    const feed = new ChangeFeed();
    const { cache, calls } = recordingCache();
    const changes = feed.share('identities', cache);
    changes.forget(['a', 'b']);
    changes.forget([]);
    changes.clear();
    expect(calls).toEqual(['trusted true', 'forget a,b', 'clear']);
  });

  it('applies a change at once here and, through the bus, on every other instance once', async () => {
    const { feeds } = cluster(3);
    const caches = feeds.map((feed) => {
      const recorded = recordingCache();
      return { ...recorded, changes: feed.share('identities', recorded.cache) };
    });
    for (const feed of feeds) feed.listening(true);
    for (const { calls } of caches) calls.length = 0;

    caches[0]!.changes.forget(['token-hash']);
    expect(caches[0]!.calls).toEqual(['forget token-hash']);
    await Promise.resolve();
    caches[2]!.changes.clear();
    await Promise.resolve();
    expect(caches.map(({ calls }) => calls)).toEqual([
      ['forget token-hash', 'clear'],
      ['forget token-hash', 'clear'],
      ['forget token-hash', 'clear'],
    ]);
  });

  it('distrusts its caches until the listener is up, and clears them whenever its state changes', () => {
    const { feeds } = cluster(1);
    const { cache, calls } = recordingCache();
    feeds[0]!.share('identities', cache);
    feeds[0]!.listening(true);
    feeds[0]!.listening(false);
    expect(calls).toEqual(['trusted false', 'clear', 'trusted true', 'clear', 'trusted false']);
  });

  it('routes a change to the cache of its name only, and ignores foreign payloads', async () => {
    const { feeds } = cluster(2);
    const identities = recordingCache();
    const bearer = recordingCache();
    feeds[1]!.share('identities', identities.cache);
    feeds[1]!.share('bearer', bearer.cache);
    const sender = feeds[0]!.share('bearer', recordingCache().cache);
    identities.calls.length = 0;
    bearer.calls.length = 0;
    sender.forget(['k']);
    feeds[1]!.receive('{"unrelated":true}');
    feeds[1]!.receive(JSON.stringify({ from: 'elsewhere', cache: 'unknown', keys: 'all' }));
    await Promise.resolve();
    expect(identities.calls).toEqual([]);
    expect(bearer.calls).toEqual(['forget k']);
  });

  it('reports a failed publication without failing the change here', async () => {
    const errors: unknown[] = [];
    const feed = new ChangeFeed({ publish: () => Promise.reject(new Error('database down')), onPublishError: (error) => errors.push(error) });
    const { cache, calls } = recordingCache();
    feed.share('identities', cache).clear();
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual(['trusted false', 'clear']);
    expect(errors).toEqual([new Error('database down')]);
  });

  it('refuses two caches of one name', () => {
    const feed = new ChangeFeed();
    feed.share('identities', recordingCache().cache);
    expect(() => feed.share('identities', recordingCache().cache)).toThrow(/registered already/);
  });
});
