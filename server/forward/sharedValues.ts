/**
 * The values that many people's subjects have in common, kept once: their organisation's and
 * role's ids and names and their permission scopes (the `Remote-Org*`, `Remote-Role*` and
 * `Remote-Groups` values, the scope list). The identity cache shares one subject between a
 * person's sessions; this shares these between people, so that the 10,000 people of one
 * organisation and role do not each hold a copy of the same strings.
 */
import type { LRUCache } from 'lru-cache';
import type { Subject } from './identity.js';
import { HEADERS_SHARED_BY_MANY } from './identityHeaders.js';
import { growingLruCache } from './growingLruCache.js';

export class SharedValues {
  /** Each value is its own key: a lookup by an equal string finds the one kept. */
  readonly #strings: LRUCache<string, string>;
  /** Scope lists by their `Remote-Groups` value (scopes hold no comma). */
  readonly #scopeLists: LRUCache<string, readonly string[]>;

  /** @param maxEntries how many values of each kind it keeps at most */
  constructor(maxEntries: number) {
    this.#strings = growingLruCache(maxEntries);
    this.#scopeLists = growingLruCache(maxEntries);
  }

  /** `subject` with its common header values and scope list replaced by the copies kept (kept from now on if new). */
  subject(subject: Subject): Subject {
    const headers = subject.headers.map((value, i) => (i % 2 === 1 && HEADERS_SHARED_BY_MANY.has(subject.headers[i - 1]!) ? this.#string(value) : value));
    const groups = this.#string(subject.scopes.join(','));
    let scopes = this.#scopeLists.get(groups);
    if (!scopes) this.#scopeLists.set(groups, (scopes = subject.scopes));
    return { ...subject, scopes, headers };
  }

  clear(): void {
    this.#strings.clear();
    this.#scopeLists.clear();
  }

  #string(value: string): string {
    const kept = this.#strings.get(value);
    if (kept !== undefined) return kept;
    this.#strings.set(value, value);
    return value;
  }
}
