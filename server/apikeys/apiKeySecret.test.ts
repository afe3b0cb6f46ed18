import { describe, expect, it } from 'vitest';
import { API_KEY_PREFIX, apiKeyLookupId, apiKeyMatches, newApiKeySecret } from './apiKeySecret.js';

describe('API key text', () => {
  it('starts with pak_ and names its lookup id', () => {
    const made = newApiKeySecret();
    expect(made.key.startsWith(API_KEY_PREFIX)).toBe(true);
    expect(made.key).toHaveLength(63);
    expect(apiKeyLookupId(made.key)).toBe(made.lookupId);
  });

  it('matches only its own hash', () => {
    const one = newApiKeySecret();
    const other = newApiKeySecret();
    expect(apiKeyMatches(one.key, one.secretHash)).toBe(true);
    expect(apiKeyMatches(one.key, other.secretHash)).toBe(false);
    // Same lookup id, different secret: a guess that knows the public part.
    const forged = `${one.key.slice(0, 20)}${other.key.slice(20)}`;
    expect(apiKeyLookupId(forged)).toBe(one.lookupId);
    expect(apiKeyMatches(forged, one.secretHash)).toBe(false);
  });

  it.each(['', 'pak_', 'pak_0123456789abcdef', `pak_0123456789ABCDEF${'a'.repeat(43)}`, `pk_0123456789abcdef${'a'.repeat(43)}`, `pak_0123456789abcdef${'a'.repeat(44)}`])(
    'refuses the malformed %j',
    (text) => expect(apiKeyLookupId(text)).toBeNull(),
  );
});
