import { describe, expect, it } from 'vitest';
import { keyStatus, rotatableAlgs } from './signingKeyStatus';
import type { SigningKeyInfo } from '../../shared/oidc';

const T = Date.UTC(2026, 10, 30, 12);
const key = (changes: Partial<SigningKeyInfo>): SigningKeyInfo => ({
  kid: 'k', alg: 'RS256', state: 'signing', createdAt: T, signsFrom: T, retiredAt: null, publishedUntil: null, ...changes,
});

describe('keyStatus', () => {
  it('says when a next key signs, when a signing key hands over, and how long a retired one stays', () => {
    expect(keyStatus(key({ state: 'next', signsFrom: T + 1000 }))).toEqual({ label: 'Next', tone: 'accent', next: { words: 'Begins to sign', at: new Date(T + 1000).toISOString() } });
    expect(keyStatus(key({}))).toEqual({ label: 'Signing', tone: 'ok', next: null });
    expect(keyStatus(key({ retiredAt: T + 5 })).next).toEqual({ words: 'Hands over', at: new Date(T + 5).toISOString() });
    expect(keyStatus(key({ state: 'retired', retiredAt: T, publishedUntil: T + 9 })).next).toEqual({ words: 'Leaves the key set', at: new Date(T + 9).toISOString() });
    expect(keyStatus(key({ state: 'expired' }))).toEqual({ label: 'Expired', tone: 'plain', next: null });
  });
});

describe('rotatableAlgs', () => {
  it('offers RS256 always, and the other algorithms once they have a key', () => {
    expect(rotatableAlgs([])).toEqual(['RS256']);
    expect(rotatableAlgs([key({ alg: 'EdDSA' }), key({})])).toEqual(['RS256', 'EdDSA']);
  });
});
