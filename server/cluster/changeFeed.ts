/**
 * Keeps the per-instance caches of several instances honest: a change (sessions ended or
 * renewed, everything cleared after a change to people or permissions) is applied here at
 * once and published to the other instances, which apply it on arrival. With SQLite there is
 * one instance and nothing to publish; with PostgreSQL the changes travel by `NOTIFY`
 * (pgChangeListener.ts), and while this instance cannot hear them its caches serve nothing.
 */
import { randomUUID } from 'node:crypto';
import { decodeCacheChange, encodeCacheChange, type CacheChange } from './cacheChange.js';

/** A per-instance cache that every instance must keep in step. */
export interface SharedCache {
  /** Drops these entries. */
  forget(keys: readonly string[]): void;
  /** Drops every entry. */
  clear(): void;
  /**
   * Whether entries may be served from memory. False while this instance may be missing other
   * instances' changes: the cache then answers from the database every time (fails closed).
   */
  setTrusted(trusted: boolean): void;
}

/** What callers change a shared cache through: applied here, published to every other instance. */
export interface CacheChanges {
  forget(keys: readonly string[]): void;
  clear(): void;
}

export interface ChangeFeedOptions {
  /**
   * Sends payloads to the other instances; absent for a single instance (SQLite). Caches are
   * then untrusted until {@link ChangeFeed.listening} reports the listener up.
   */
  publish?: (payload: string) => Promise<void>;
  /** Told of a publication that failed (the others' caches then rely on their maximum entry age). */
  onPublishError?: (error: unknown) => void;
  /** How long a shared cache may keep an entry, bounding staleness should a change be missed; none by default. */
  maxEntryAgeMs?: number;
}

export class ChangeFeed {
  /** This instance's name in its payloads, to skip its own notifications. */
  readonly instanceId = randomUUID();
  /** How long a shared cache may keep an entry (unset: as long as it likes). */
  readonly maxEntryAgeMs: number | undefined;
  readonly #caches = new Map<string, SharedCache>();
  readonly #options: ChangeFeedOptions;
  #trusted: boolean;

  constructor(options: ChangeFeedOptions = {}) {
    this.#options = options;
    this.#trusted = !options.publish;
    this.maxEntryAgeMs = options.maxEntryAgeMs;
  }

  /** Registers `cache` under `name` (the same on every instance); returns how to change it everywhere. */
  share(name: string, cache: SharedCache): CacheChanges {
    if (this.#caches.has(name)) throw new Error(`A shared cache named "${name}" is registered already`);
    this.#caches.set(name, cache);
    cache.setTrusted(this.#trusted);
    return {
      forget: (keys) => {
        if (keys.length === 0) return;
        cache.forget(keys);
        this.#publish({ cache: name, keys });
      },
      clear: () => {
        cache.clear();
        this.#publish({ cache: name, keys: 'all' });
      },
    };
  }

  /** Applies a payload another instance published (own ones and unknown caches are ignored). */
  receive(payload: string): void {
    const received = decodeCacheChange(payload);
    if (!received || received.from === this.instanceId) return;
    const cache = this.#caches.get(received.change.cache);
    if (!cache) return;
    if (received.change.keys === 'all') cache.clear();
    else cache.forget(received.change.keys);
  }

  /**
   * The listener's state. Either way every cache is cleared: changes may have been missed while
   * it was down. While down, caches serve nothing from memory.
   */
  listening(up: boolean): void {
    this.#trusted = up;
    for (const cache of this.#caches.values()) {
      cache.clear();
      cache.setTrusted(up);
    }
  }

  #publish(change: CacheChange): void {
    const { publish, onPublishError } = this.#options;
    if (!publish) return;
    for (const payload of encodeCacheChange(this.instanceId, change)) {
      publish(payload).catch((error: unknown) => onPublishError?.(error));
    }
  }
}
