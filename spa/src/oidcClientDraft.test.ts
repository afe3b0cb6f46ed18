import { describe, expect, it } from 'vitest';
import type { OidcClientInfo } from '../../shared/oidcClients';
import { backchannelUriProblem, daysToSeconds, discoveryUrl, minutesToSeconds, secondsToDays, secondsToMinutes, settingsBlock, uriLines, uriListProblem } from './oidcClientDraft';

const PROVIDER = {
  issuer: 'https://auth.example.com/auth',
  authorization_endpoint: 'https://auth.example.com/auth/oidc/authorize',
  token_endpoint: 'https://auth.example.com/auth/oidc/token',
  userinfo_endpoint: 'https://auth.example.com/auth/oidc/userinfo',
  jwks_uri: 'https://auth.example.com/auth/oidc/jwks',
  end_session_endpoint: 'https://auth.example.com/auth/oidc/logout',
};

const client = (fields: Partial<OidcClientInfo> = {}): OidcClientInfo => ({
  client_id: 'grafana',
  client_name: 'Grafana',
  org: { id: 'o1', displayName: 'Main' },
  redirect_uris: ['https://grafana.example.com/login/generic_oauth'],
  post_logout_redirect_uris: [],
  backchannel_logout_uri: null,
  token_endpoint_auth_method: 'client_secret_basic',
  grant_types: ['authorization_code', 'refresh_token'],
  scope: 'openid profile email',
  require_pkce: true,
  require_consent: false,
  required_perm: null,
  id_token_signed_response_alg: 'RS256',
  access_token_ttl: 1800,
  refresh_idle_ttl: 2_592_000,
  refresh_absolute_ttl: 31_536_000,
  service_permissions: [],
  client_secrets: [],
  created_at: '2026-11-30T10:00:00Z',
  updated_at: '2026-11-30T10:00:00Z',
  ...fields,
});

describe('uriLines and uriListProblem', () => {
  it('reads one URI per line, ignoring blank lines and surrounding spaces', () => {
    expect(uriLines(' https://a.example.com/cb \n\n  http://127.0.0.1/cb\n')).toEqual(['https://a.example.com/cb', 'http://127.0.0.1/cb']);
    expect(uriLines('   \n')).toEqual([]);
  });

  it('names the line of the first URI the server would refuse', () => {
    expect(uriListProblem(['https://a.example.com/cb', 'http://a.example.com/cb'], 'Redirect URIs')).toBe(
      'Redirect URIs, line 2: a redirect URI may use http only on a loopback address (127.0.0.1, [::1] or localhost); use https.',
    );
    expect(uriListProblem(['https://a.example.com/cb', 'com.example.app:/cb'], 'Redirect URIs')).toBeNull();
  });
});

describe('backchannelUriProblem', () => {
  it('accepts nothing, https and loopback http; refuses what the server cannot post to', () => {
    for (const uri of ['', 'https://app.example.com/backchannel', 'http://127.0.0.1:8080/bc']) expect(backchannelUriProblem(uri)).toBeNull();
    expect(backchannelUriProblem('com.example.app:/bc')).toBe('Back-channel logout URI: it must use https (or http on a loopback address): the server posts to it.');
    expect(backchannelUriProblem('http://app.example.com/bc')).toMatch(/^Back-channel logout URI: it may use http only on a loopback address/);
  });
});

describe('lifetimes', () => {
  it('turns seconds into minutes and days and back', () => {
    expect(secondsToMinutes(1800)).toBe(30);
    expect(minutesToSeconds(30)).toBe(1800);
    expect(secondsToDays(2_592_000)).toBe(30);
    expect(secondsToDays(3600)).toBe(0.04);
    expect(daysToSeconds(0.5)).toBe(43_200);
  });
});

describe('settingsBlock', () => {
  it('lists what an app asks for, aligned, with every redirect URI', () => {
    const block = settingsBlock(PROVIDER, client({ redirect_uris: ['https://g.example.com/a', 'https://g.example.com/b'] }));
    expect(block.split('\n')).toEqual([
      'Issuer:                 https://auth.example.com/auth',
      'Discovery URL:          https://auth.example.com/auth/.well-known/openid-configuration',
      'Client ID:              grafana',
      'Client secret:          the secret shown when it was made',
      'Client authentication:  client_secret_basic',
      'Authorization URL:      https://auth.example.com/auth/oidc/authorize',
      'Token URL:              https://auth.example.com/auth/oidc/token',
      'Userinfo URL:           https://auth.example.com/auth/oidc/userinfo',
      'JWKS URL:               https://auth.example.com/auth/oidc/jwks',
      'End session URL:        https://auth.example.com/auth/oidc/logout',
      'Scopes:                 openid profile email',
      'PKCE:                   S256 (required)',
      'ID token algorithm:     RS256',
      'Redirect URI:           https://g.example.com/a',
      'Redirect URI:           https://g.example.com/b',
    ]);
  });

  it('says a public client has no secret', () => {
    expect(settingsBlock(PROVIDER, client({ token_endpoint_auth_method: 'none' }))).toContain('Client secret:          none (public client)');
    expect(discoveryUrl('https://id.example.com/auth')).toBe('https://id.example.com/auth/.well-known/openid-configuration');
  });
});
