import { describe, expect, it } from 'vitest';
import { interactionNeed, promptNoneError, type InteractionState } from './interaction.js';
import type { AuthorizeRequest } from './authorizeRequest.js';
import { ACR_DEVICE_BOUND, ACR_PASSKEY } from '../../shared/oidc.js';

const NOW = 1_800_000_000_000;
const request = (fields: Partial<AuthorizeRequest> = {}, requireConsent = false): AuthorizeRequest => ({
  redirectUri: 'https://app.example.com/cb', responseMode: 'query', state: null,
  client: { requireConsent } as AuthorizeRequest['client'],
  scopes: ['openid', 'email'], nonce: null, prompts: [], maxAge: null, codeChallenge: null, hintedSub: null, loginHint: null, acrValues: [],
  ...fields,
});
const state = (fields: Partial<InteractionState> = {}): InteractionState => ({
  signIn: { userId: 'u1', authenticatedAt: NOW - 60_000, acr: ACR_PASSKEY }, consentedScopes: null, consentGiven: false, pageSince: null, now: NOW, ...fields,
});

describe('interactionNeed', () => {
  it('answers at once for a live session of a first-party app', () => {
    expect(interactionNeed(request(), state())).toEqual({ kind: 'none' });
  });

  it('needs a sign-in without a session, for another hinted person, and when max_age has passed', () => {
    expect(interactionNeed(request(), state({ signIn: null }))).toEqual({ kind: 'signIn', reason: 'noSession' });
    expect(interactionNeed(request({ hintedSub: 'u2' }), state())).toEqual({ kind: 'signIn', reason: 'otherUser' });
    expect(interactionNeed(request({ hintedSub: 'u1' }), state())).toEqual({ kind: 'none' });
    expect(interactionNeed(request({ maxAge: 59 }), state())).toEqual({ kind: 'signIn', reason: 'maxAge' });
    expect(interactionNeed(request({ maxAge: 60 }), state())).toEqual({ kind: 'none' });
  });

  it('takes prompt=login as satisfied only by a passkey use since the page began', () => {
    expect(interactionNeed(request({ prompts: ['login'] }), state())).toEqual({ kind: 'signIn', reason: 'login' });
    expect(interactionNeed(request({ prompts: ['login'] }), state({ pageSince: NOW - 30_000 }))).toEqual({ kind: 'signIn', reason: 'login' });
    expect(interactionNeed(request({ prompts: ['login'] }), state({ pageSince: NOW - 90_000 }))).toEqual({ kind: 'none' });
  });

  it('refuses a synced passkey when a device-bound one is asked for', () => {
    expect(interactionNeed(request({ acrValues: [ACR_DEVICE_BOUND] }), state())).toEqual({ kind: 'signIn', reason: 'deviceBound' });
    const deviceBound = state({ signIn: { userId: 'u1', authenticatedAt: NOW, acr: ACR_DEVICE_BOUND } });
    expect(interactionNeed(request({ acrValues: [ACR_DEVICE_BOUND] }), deviceBound)).toEqual({ kind: 'none' });
    expect(interactionNeed(request({ acrValues: [ACR_DEVICE_BOUND, ACR_PASSKEY] }), state())).toEqual({ kind: 'none' });
  });

  it('asks consent where the client requires it until given for every scope, and always for prompt=consent', () => {
    expect(interactionNeed(request({}, true), state())).toEqual({ kind: 'consent' });
    expect(interactionNeed(request({}, true), state({ consentedScopes: ['openid'] }))).toEqual({ kind: 'consent' });
    expect(interactionNeed(request({}, true), state({ consentedScopes: ['openid', 'email', 'profile'] }))).toEqual({ kind: 'none' });
    expect(interactionNeed(request({ prompts: ['consent'] }), state({ consentedScopes: ['openid', 'email'] }))).toEqual({ kind: 'consent' });
    expect(interactionNeed(request({ prompts: ['consent'] }), state({ consentGiven: true }))).toEqual({ kind: 'none' });
  });
});

it('promptNoneError names what the page would have asked for', () => {
  expect(promptNoneError({ kind: 'signIn', reason: 'noSession' })).toBe('login_required');
  expect(promptNoneError({ kind: 'signIn', reason: 'deviceBound' })).toBe('interaction_required');
  expect(promptNoneError({ kind: 'consent' })).toBe('consent_required');
});
