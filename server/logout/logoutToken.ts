/**
 * The logout token (OpenID Connect Back-Channel Logout 1.0 §2.4): a JWT of `typ` `logout+jwt`,
 * signed like the app's ID tokens, telling the app that a person's sign-in ended.
 */
import type { JWTPayload } from 'jose';
import { uuidv7 } from 'uuidv7';
import type { SigningAlg } from '../../shared/oidc.js';

/** The `typ` header of a logout token (§2.4: explicit typing keeps it from passing for an ID token). */
export const LOGOUT_TOKEN_TYP = 'logout+jwt';
/** The event a logout token carries (§2.4). */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
/** Seconds a logout token is valid: it is sent at once, and signed anew for every retry. */
export const LOGOUT_TOKEN_LIFETIME_S = 120;

/** What is needed to sign: the provider's signer (`SigningKeys.sign`, which adds `iss` and `iat`). */
export type Signer = (payload: JWTPayload, options: { alg: SigningAlg; typ: string }) => Promise<string>;

export interface LogoutTokenClaims {
  clientId: string;
  /** The app's ID token algorithm. */
  alg: SigningAlg;
  sub: string;
  sid: string;
}

/** The claims of a logout token besides `iss` and `iat`: `aud`, `exp`, `jti`, `events`, `sub`, `sid`, and never a `nonce` (§2.4). */
export function logoutTokenPayload(claims: Omit<LogoutTokenClaims, 'alg'>, now: number): JWTPayload {
  const iat = Math.floor(now / 1000);
  return {
    aud: claims.clientId,
    iat,
    exp: iat + LOGOUT_TOKEN_LIFETIME_S,
    jti: uuidv7(),
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    sub: claims.sub,
    sid: claims.sid,
  };
}

/** Signs a logout token for one app and ended sign-in. */
export function signLogoutToken(sign: Signer, claims: LogoutTokenClaims, now: number): Promise<string> {
  return sign(logoutTokenPayload(claims, now), { alg: claims.alg, typ: LOGOUT_TOKEN_TYP });
}
