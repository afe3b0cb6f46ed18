/**
 * Whether an authorization request can be answered at once or needs the person first
 * (OpenID Connect Core §3.1.2.3–4): to sign in (no session, `prompt=login`, `max_age`, another
 * person hinted, a device-bound passkey demanded) or to consent. Pure, so the authorization
 * endpoint, the page's info request and the decision all decide alike.
 */
import type { Services } from '../services.js';
import type { SignInReason } from '../../shared/oidcAuthorize.js';
import type { AuthorizeRequest } from './authorizeRequest.js';
import { satisfiesAcrValues } from './authenticationContext.js';

/** The sign-in the request would be answered with. */
export interface CurrentSignIn {
  userId: string;
  /** Unix ms of the passkey use. */
  authenticatedAt: number;
  acr: string;
}

export type InteractionNeed = { kind: 'none' } | { kind: 'signIn'; reason: SignInReason } | { kind: 'consent' };

export interface InteractionState {
  signIn: CurrentSignIn | null;
  /** Scopes the person agreed to give this client before, or null. */
  consentedScopes: readonly string[] | null;
  /** The person agreed on the page just now. */
  consentGiven: boolean;
  /** When the page began (Unix ms): a passkey use since then satisfies `prompt=login`. Null when no page was shown. */
  pageSince: number | null;
  now: number;
}

/** What stands between the request and an answer, first things first. */
export function interactionNeed(request: AuthorizeRequest, state: InteractionState): InteractionNeed {
  const { signIn } = state;
  if (!signIn) return { kind: 'signIn', reason: 'noSession' };
  if (request.hintedSub !== null && request.hintedSub !== signIn.userId) return { kind: 'signIn', reason: 'otherUser' };
  if (request.prompts.includes('login') && !(state.pageSince !== null && signIn.authenticatedAt >= state.pageSince)) return { kind: 'signIn', reason: 'login' };
  if (request.maxAge !== null && state.now - signIn.authenticatedAt > request.maxAge * 1000) return { kind: 'signIn', reason: 'maxAge' };
  if (!satisfiesAcrValues(signIn.acr, request.acrValues)) return { kind: 'signIn', reason: 'deviceBound' };
  if (state.consentGiven) return { kind: 'none' };
  if (request.prompts.includes('consent')) return { kind: 'consent' };
  const consented = state.consentedScopes;
  if (request.client.requireConsent && !(consented !== null && request.scopes.every((scope) => consented.includes(scope)))) return { kind: 'consent' };
  return { kind: 'none' };
}

/** The error `prompt=none` answers instead of showing the page (§3.1.2.6). */
export function promptNoneError(need: InteractionNeed): 'login_required' | 'consent_required' | 'interaction_required' {
  if (need.kind === 'consent') return 'consent_required';
  return need.kind === 'signIn' && need.reason === 'deviceBound' ? 'interaction_required' : 'login_required';
}

const INTERACTION_TYP = 'passkey-auth-interaction+jwt';
/** A page may take this long between loading and the person's decision. */
const INTERACTION_LIFETIME_S = 30 * 60;

/**
 * Seals when a page began, so that its later requests can prove it (a passkey use since then is a
 * fresh sign-in for `prompt=login`) without the server keeping state per page.
 */
export async function sealPageStart(services: Services, now: number): Promise<string> {
  const iat = Math.floor(now / 1000);
  // The audience is not a client id, so no app could take this for an ID token.
  return services.signingKeys.sign({ aud: `${services.config.issuer}#interaction`, iat, exp: iat + INTERACTION_LIFETIME_S, since: now }, { alg: 'RS256', typ: INTERACTION_TYP });
}

/** When the page of a sealed token began, or null when the token is missing, forged or stale. */
export async function openPageStart(services: Services, token: string | undefined): Promise<number | null> {
  if (!token) return null;
  try {
    const payload = await services.signingKeys.verify(token, { typ: INTERACTION_TYP, audience: `${services.config.issuer}#interaction` });
    return typeof payload.since === 'number' ? payload.since : null;
  } catch {
    return null;
  }
}
