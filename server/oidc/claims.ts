/**
 * The claims a client receives about a person, by scope (OpenID Connect Core §5.4). Pure: the
 * ID token, a refreshed ID token and userinfo all take their scope claims from here, so they
 * cannot disagree.
 */
import type { User } from '../db/schema.js';

/** Claims each scope releases (for discovery's `claims_supported` and the consent screen). */
export const CLAIMS_OF_SCOPE: Record<string, readonly string[]> = {
  openid: ['sub'],
  profile: ['name', 'preferred_username'],
  email: ['email', 'email_verified'],
  groups: ['groups'],
};

/** The claims `scopes` release beyond `sub`, in scope order: what the consent screen and the connected-apps list name. */
export function releasedClaims(scopes: readonly string[]): string[] {
  return [...new Set(scopes.flatMap((scope) => CLAIMS_OF_SCOPE[scope] ?? []))].filter((claim) => claim !== 'sub');
}

/** What the claims are made of: the person, and their effective permission scopes on the client's host. */
export interface ClaimSource {
  user: Pick<User, 'id' | 'display_name' | 'email' | 'email_verified' | 'username'>;
  /** The same list forward auth sends as `Remote-Groups` for the client's host. */
  groups: readonly string[];
}

/**
 * `sub` and the claims of the granted `scopes`. A claim whose value the person has not set
 * (no username, no email) is left out rather than sent empty; `groups` is always an array.
 */
export function scopeClaims(source: ClaimSource, scopes: readonly string[]): Record<string, unknown> {
  const { user } = source;
  const claims: Record<string, unknown> = { sub: user.id };
  if (scopes.includes('profile')) {
    claims.name = user.display_name;
    if (user.username !== null) claims.preferred_username = user.username;
  }
  if (scopes.includes('email') && user.email !== null) {
    claims.email = user.email;
    claims.email_verified = user.email_verified === 1;
  }
  if (scopes.includes('groups')) claims.groups = [...source.groups];
  return claims;
}
