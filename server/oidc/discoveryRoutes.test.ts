/**
 * Discovery and JWKS over real HTTP: openid-client v6 (panva) discovers the provider as a relying
 * party would, and the published keys verify what SigningKeys signed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as client from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { freePort, startTestServer, type TestServer } from '../testing/testServer.js';
import { rawRequest } from '../testing/rawHttp.js';
import { SIGNING_ALGS } from '../../shared/oidc.js';

let server: TestServer;
let issuer: string;

beforeAll(async () => {
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}/auth`;
  server = await startTestServer(['--listen', `127.0.0.1:${port}`, '--issuer', issuer]);
});
afterAll(() => server.close());

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

describe('discovery', () => {
  it('is what openid-client discovers, with every endpoint on the issuer', async () => {
    const config = await client.discovery(new URL(issuer), 'app', undefined, undefined, { execute: [client.allowInsecureRequests] });
    const metadata = config.serverMetadata();
    expect(metadata).toMatchObject({
      issuer,
      authorization_endpoint: `http://127.0.0.1:${server.port}/auth/oidc/authorize`,
      token_endpoint: `http://127.0.0.1:${server.port}/auth/oidc/token`,
      userinfo_endpoint: `http://127.0.0.1:${server.port}/auth/oidc/userinfo`,
      revocation_endpoint: `http://127.0.0.1:${server.port}/auth/oidc/revoke`,
      introspection_endpoint: `http://127.0.0.1:${server.port}/auth/oidc/introspect`,
      jwks_uri: `http://127.0.0.1:${server.port}/auth/oidc/jwks`,
      response_types_supported: ['code'],
      response_modes_supported: ['query', 'form_post'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256', 'ES256', 'EdDSA'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      code_challenge_methods_supported: ['S256'],
      scopes_supported: ['openid', 'profile', 'email', 'groups', 'offline_access'],
      acr_values_supported: ['urn:passkey-auth:device-bound', 'urn:passkey-auth:passkey'],
      authorization_response_iss_parameter_supported: true,
      request_parameter_supported: false,
      request_uri_parameter_supported: false,
    });
    expect(metadata.claims_supported).toEqual(expect.arrayContaining(['sub', 'email', 'email_verified', 'groups', 'amr', 'acr', 'sid']));
    expect(config.serverMetadata().supportsPKCE()).toBe(true);
    // RP-initiated and back-channel logout with sid (issue 13); no front-channel logout.
    expect(metadata.end_session_endpoint).toBe(`http://127.0.0.1:${server.port}/auth/oidc/logout`);
    expect(metadata).toMatchObject({ backchannel_logout_supported: true, backchannel_logout_session_supported: true });
    expect(metadata).not.toHaveProperty('frontchannel_logout_supported');
  });

  it('names the configured issuer on every host, whatever the request says', async () => {
    const dedicated = await startTestServer(['--rp-id', 'example.com', '--auth-host', 'auth.example.com']);
    try {
      const response = await rawRequest(dedicated.port, {
        host: 'app.example.com',
        path: '/auth/.well-known/openid-configuration',
        headers: { 'x-forwarded-host': 'evil.test', forwarded: 'host=evil.test' },
      });
      expect(response.status).toBe(200);
      const document = JSON.parse(response.body) as { issuer: string; jwks_uri: string };
      expect(document.issuer).toBe('https://auth.example.com/auth');
      expect(document.jwks_uri).toBe('https://auth.example.com/auth/oidc/jwks');
      const jwks = await rawRequest(dedicated.port, { host: 'app.example.com', path: '/auth/oidc/jwks' });
      expect(jwks.status).toBe(200);
    } finally {
      await dedicated.close();
    }
  });

  it('is open to every page (CORS *) and cacheable', async () => {
    for (const path of ['/auth/.well-known/openid-configuration', '/auth/oidc/jwks']) {
      const response = await rawRequest(server.port, { host: `127.0.0.1:${server.port}`, path, headers: { origin: 'https://some-spa.example' } });
      expect(response.status).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(response.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
      const preflight = await rawRequest(server.port, {
        method: 'OPTIONS',
        host: `127.0.0.1:${server.port}`,
        path,
        headers: { origin: 'https://some-spa.example', 'access-control-request-method': 'GET' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('*');
      const head = await rawRequest(server.port, { method: 'HEAD', host: `127.0.0.1:${server.port}`, path });
      expect(head.status).toBe(200);
    }
    const jwks = await rawRequest(server.port, { host: `127.0.0.1:${server.port}`, path: '/auth/oidc/jwks' });
    expect(jwks.headers['content-type']).toBe('application/jwk-set+json');
  });
});

describe('JWKS', () => {
  it('verifies a token of each algorithm that SigningKeys signed, from public keys only', async () => {
    const config = await client.discovery(new URL(issuer), 'app', undefined, undefined, { execute: [client.allowInsecureRequests] });
    // Signed first: a client that fetched the keys moments before a key existed would wait out its JWKS cache.
    const tokens = await Promise.all(SIGNING_ALGS.map((alg) => server.services.signingKeys.sign({ sub: 'person', aud: 'app', exp: inAnHour() }, { alg })));
    const remoteKeys = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!));
    for (const [index, alg] of SIGNING_ALGS.entries()) {
      const { payload, protectedHeader } = await jwtVerify(tokens[index]!, remoteKeys, { issuer, audience: 'app' });
      expect(payload.sub).toBe('person');
      expect(protectedHeader.alg).toBe(alg);
    }
    const { keys } = JSON.parse((await rawRequest(server.port, { host: `127.0.0.1:${server.port}`, path: '/auth/oidc/jwks' })).body) as { keys: Record<string, unknown>[] };
    expect(keys.map((key) => key.alg).sort()).toEqual(['ES256', 'EdDSA', 'RS256']);
    for (const key of keys) for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(secret);
  });
});
