import { describe, expect, it } from 'vitest';
import { parseAuthorizeRequest } from './authorizeRequest.js';
import type { OidcClient } from '../db/oidcClients.js';

const client = {
  id: 'reports', name: 'Reports', redirectUris: ['https://app.example.com/cb'], grantTypes: ['authorization_code', 'refresh_token'],
  scopes: ['openid', 'profile', 'email'], requirePkce: true,
} as OidcClient;
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const valid = { client_id: 'reports', redirect_uri: 'https://app.example.com/cb', response_type: 'code', scope: 'openid email', state: 's', code_challenge: CHALLENGE, code_challenge_method: 'S256' };
const parse = (changes: Record<string, string | undefined>, known: OidcClient = client) => {
  const params = Object.fromEntries(Object.entries({ ...valid, ...changes }).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return parseAuthorizeRequest(params, known, null);
};

describe('parseAuthorizeRequest', () => {
  it('reads a valid request, ignoring unknown parameters and dropping scopes the client may not have', () => {
    const parsed = parse({ scope: 'openid email groups made-up', ui_locales: 'de', claims_locales: 'fr' });
    expect(parsed).toMatchObject({ ok: true, request: { scopes: ['openid', 'email'], responseMode: 'query', state: 's', codeChallenge: CHALLENGE, prompts: [], maxAge: null } });
  });

  it('shows the person, rather than redirecting, when the client or its redirect URI is wrong', () => {
    expect(parseAuthorizeRequest(valid, undefined, null)).toEqual({ ok: false, show: expect.stringContaining('not registered') });
    expect(parse({ client_id: undefined })).toEqual({ ok: false, show: expect.stringContaining('client_id is missing') });
    expect(parse({ redirect_uri: undefined })).toEqual({ ok: false, show: expect.stringContaining('no redirect_uri') });
    expect(parse({ redirect_uri: 'https://app.example.com/cb/../evil' })).toEqual({ ok: false, show: expect.stringContaining('redirect_uri mismatch') });
  });

  it('sends every later error to the client, in the response mode asked for', () => {
    const errorOf = (changes: Record<string, string | undefined>) => {
      const parsed = parse(changes);
      return parsed.ok || 'show' in parsed ? null : { error: parsed.error, mode: parsed.target.responseMode };
    };
    expect(errorOf({ response_type: 'token' })).toEqual({ error: 'unsupported_response_type', mode: 'query' });
    expect(errorOf({ response_type: 'id_token', response_mode: 'form_post' })).toEqual({ error: 'unsupported_response_type', mode: 'form_post' });
    expect(errorOf({ response_mode: 'fragment' })).toEqual({ error: 'invalid_request', mode: 'query' });
    expect(errorOf({ scope: 'email' })).toEqual({ error: 'invalid_scope', mode: 'query' });
    expect(errorOf({ code_challenge_method: 'plain' })).toEqual({ error: 'invalid_request', mode: 'query' });
    expect(errorOf({ code_challenge_method: undefined })).toEqual({ error: 'invalid_request', mode: 'query' });
    expect(errorOf({ code_challenge: undefined, code_challenge_method: undefined })).toEqual({ error: 'invalid_request', mode: 'query' });
    expect(errorOf({ code_challenge: 'short' })).toEqual({ error: 'invalid_request', mode: 'query' });
    expect(errorOf({ prompt: 'none login' })).toEqual({ error: 'invalid_request', mode: 'query' });
    expect(errorOf({ prompt: 'later' })).toEqual({ error: 'invalid_request', mode: 'query' });
    expect(errorOf({ max_age: '-1' })).toEqual({ error: 'invalid_request', mode: 'query' });
    expect(errorOf({ request: 'eyJ...' })).toEqual({ error: 'invalid_request', mode: 'query' });
  });

  it('lets a confidential client without require_pkce go without PKCE', () => {
    const parsed = parse({ code_challenge: undefined, code_challenge_method: undefined }, { ...client, requirePkce: false });
    expect(parsed).toMatchObject({ ok: true, request: { codeChallenge: null } });
  });

  it('reads prompt, max_age and acr_values', () => {
    expect(parse({ prompt: 'login consent select_account', max_age: '0', acr_values: 'a b' })).toMatchObject({ ok: true, request: { prompts: ['login', 'consent'], maxAge: 0, acrValues: ['a', 'b'] } });
  });
});
