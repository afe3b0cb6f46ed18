/**
 * What the signing-keys panel says about a key: its state in words and the moment that matters
 * next (when a next key begins to sign, when a retired one leaves the key set).
 */
import type { SigningKeyInfo } from '../../shared/oidc';

export interface KeyStatus {
  /** "Signing", "Next", "Retired", "Expired". */
  label: string;
  /** Badge style: the signing key stands out. */
  tone: 'ok' | 'accent' | 'plain';
  /** The words before a relative time (`Begins to sign` + `in 2 hours`), and that time (ISO), when there is one. */
  next: { words: string; at: string } | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function keyStatus(key: SigningKeyInfo): KeyStatus {
  switch (key.state) {
    case 'next':
      return { label: 'Next', tone: 'accent', next: { words: 'Begins to sign', at: iso(key.signsFrom) } };
    case 'signing':
      return { label: 'Signing', tone: 'ok', next: key.retiredAt === null ? null : { words: 'Hands over', at: iso(key.retiredAt) } };
    case 'retired':
      return { label: 'Retired', tone: 'plain', next: key.publishedUntil === null ? null : { words: 'Leaves the key set', at: iso(key.publishedUntil) } };
    case 'expired':
      return { label: 'Expired', tone: 'plain', next: null };
  }
}

/** The algorithms a master admin can rotate: those with a key, RS256 always (it exists from the first start). */
export function rotatableAlgs(keys: readonly SigningKeyInfo[]): SigningKeyInfo['alg'][] {
  const present = new Set(keys.map((key) => key.alg));
  return (['RS256', 'ES256', 'EdDSA'] as const).filter((alg) => alg === 'RS256' || present.has(alg));
}
