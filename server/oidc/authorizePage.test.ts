/**
 * The authorization page's part, as its script plays it: the info request, a passkey sign-in, the
 * consent, and the decision posted as a form. Also the endpoint's POST form and its CORS rules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import type { TestServer } from '../testing/testServer.js';
import { SoftAuthenticator } from '../testing/softAuthenticator.js';
import { api, signIn, startWithAdmin } from '../testing/flows.js';
import { rawRequest } from '../testing/rawHttp.js';
import { APP_HOST, AUTH_HOST, AUTH_PAGE, OIDC_SERVER_FLAGS, authorizationRequest, browse, redirectOf, relyingParty, type RelyingParty, type StartedAuthorization } from '../testing/oidcFlows.js';
import type { AuthorizationInfo } from '../../shared/oidcAuthorize.js';
import { ACR_DEVICE_BOUND } from '../../shared/oidc.js';

let server: TestServer;
let orgId: string;
const phone = new SoftAuthenticator();

beforeAll(async () => {
  server = await startWithAdmin(OIDC_SERVER_FLAGS, phone, AUTH_PAGE);
  orgId = (await server.deps.database.db.selectFrom('orgs').select('id').executeTakeFirstOrThrow()).id;
});
afterAll(() => server.close());

const party = (fields: Parameters<typeof relyingParty>[2] = {}) => relyingParty(server, orgId, fields);

/** The page's info request, as its script sends it. */
async function info(started: StartedAuthorization, cookie: string | null, interaction?: string): Promise<AuthorizationInfo> {
  const response = await api(server.port, 'POST', '/auth/api/oidc/authorization', { host: AUTH_HOST, origin: AUTH_PAGE.origin, cookie: cookie ?? undefined, body: { query: started.url.search.slice(1), interaction } });
  expect(response.status, response.body).toBe(200);
  return JSON.parse(response.body);
}

/** The page's decision form, posted by the browser from `origin`. */
function decide(started: StartedAuthorization, cookie: string | null, interaction: string, decision: 'allow' | 'deny', origin = AUTH_PAGE.origin) {
  return rawRequest(server.port, {
    method: 'POST', host: AUTH_HOST, path: '/auth/oidc/authorize/decision',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin, ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams({ query: started.url.search.slice(1), interaction, decision }).toString(),
  });
}

async function exchange(client: RelyingParty, started: StartedAuthorization, callback: URL) {
  return oidc.authorizationCodeGrant(client.config, callback, { pkceCodeVerifier: started.verifier, expectedState: started.state, expectedNonce: started.nonce });
}

describe('the authorization page', () => {
  it('signs a person without a session in, then sends them back with a code', async () => {
    const client = await party();
    const started = await authorizationRequest(client.config);
    const page = await browse(server, started.url, null);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    // The decision's redirect to the app must be allowed by the page's form-action.
    expect(String(page.headers['content-security-policy'])).toContain(`form-action 'self' https://${APP_HOST}`);

    const before = await info(started, null);
    expect(before).toMatchObject({ clientName: 'Reports', next: 'signIn', signInReason: 'noSession', signedIn: null, offlineAccess: true });
    expect(before.claims).toEqual(['name', 'preferred_username', 'email', 'email_verified', 'groups']);

    const cookie = await signIn(server.port, phone, AUTH_PAGE);
    const after = await info(started, cookie, before.interaction);
    expect(after).toMatchObject({ next: 'continue', signedIn: { displayName: 'Admin' } });
    const tokens = await exchange(client, started, redirectOf(await decide(started, cookie, after.interaction, 'allow')));
    expect(tokens.claims()!.name).toBe('Admin');
  });

  it('makes prompt=login take a passkey use made after the page opened', async () => {
    const client = await party();
    const oldCookie = await signIn(server.port, phone, AUTH_PAGE);
    const started = await authorizationRequest(client.config, { prompt: 'login' });
    expect((await browse(server, started.url, oldCookie)).status).toBe(200);
    const first = await info(started, oldCookie);
    expect(first).toMatchObject({ next: 'signIn', signInReason: 'login' });
    // Posting the decision without signing in again leads back to the page.
    const refused = await decide(started, oldCookie, first.interaction, 'allow');
    expect(refused.status).toBe(303);
    expect(String(refused.headers.location)).toBe(`/auth/oidc/authorize${started.url.search}`);

    const newCookie = await signIn(server.port, phone, AUTH_PAGE);
    expect((await info(started, newCookie, first.interaction)).next).toBe('continue');
    const tokens = await exchange(client, started, redirectOf(await decide(started, newCookie, first.interaction, 'allow')));
    expect(Number(tokens.claims()!.auth_time) * 1000).toBeGreaterThanOrEqual(Math.floor(server.deps.now() / 1000) * 1000 - 5000);
  });

  it('asks consent for a client that requires it, remembers it, and tells the client when the person declines', async () => {
    const client = await party({ requireConsent: true });
    const cookie = await signIn(server.port, phone, AUTH_PAGE);
    const declined = await authorizationRequest(client.config);
    expect((await browse(server, declined.url, cookie)).status).toBe(200);
    const asked = await info(declined, cookie);
    expect(asked.next).toBe('consent');
    const denial = redirectOf(await decide(declined, cookie, asked.interaction, 'deny'));
    expect(denial.searchParams.get('error')).toBe('access_denied');
    expect(denial.searchParams.get('state')).toBe(declined.state);

    const allowed = await authorizationRequest(client.config);
    await exchange(client, allowed, redirectOf(await decide(allowed, cookie, (await info(allowed, cookie)).interaction, 'allow')));
    // Consent given: the next request goes straight back.
    const again = await authorizationRequest(client.config);
    await exchange(client, again, redirectOf(await browse(server, again.url, cookie)));
  });

  it('refuses a decision posted from another site', async () => {
    const client = await party();
    const cookie = await signIn(server.port, phone, AUTH_PAGE);
    const started = await authorizationRequest(client.config);
    const { interaction } = await info(started, cookie);
    const response = await decide(started, cookie, interaction, 'allow', 'https://evil.example.net');
    expect(response.status).toBe(403);
    expect(response.headers.location).toBeUndefined();
  });

  it('explains an invalid request instead of redirecting', async () => {
    const client = await party();
    const started = await authorizationRequest(client.config, { redirect_uri: 'https://evil.example.net/cb' });
    const response = await api(server.port, 'POST', '/auth/api/oidc/authorization', { host: AUTH_HOST, origin: AUTH_PAGE.origin, body: { query: started.url.search.slice(1) } });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).detail).toContain('redirect_uri mismatch');
  });

  it('refuses a synced passkey when the app asks for a device-bound one, and accepts a device-bound one', async () => {
    const client = await party();
    const cookie = await signIn(server.port, phone, AUTH_PAGE);
    const started = await authorizationRequest(client.config, { acr_values: ACR_DEVICE_BOUND });
    expect((await info(started, cookie)).signInReason).toBe('deviceBound');
    const silent = await authorizationRequest(client.config, { acr_values: ACR_DEVICE_BOUND, prompt: 'none' });
    expect(redirectOf(await browse(server, silent.url, cookie)).searchParams.get('error')).toBe('interaction_required');

    // The same person with a passkey that cannot leave its device.
    await server.deps.database.db.updateTable('credentials').set({ backup_eligible: 0 }).execute();
    try {
      const tokens = await exchange(client, started, redirectOf(await browse(server, started.url, cookie)));
      expect(tokens.claims()).toMatchObject({ acr: ACR_DEVICE_BOUND, amr: ['hwk', 'mfa'] });
    } finally {
      await server.deps.database.db.updateTable('credentials').set({ backup_eligible: 1 }).execute();
    }
  });
});

describe('the authorization endpoint', () => {
  it('takes the request as a POSTed form too', async () => {
    const client = await party();
    const cookie = await signIn(server.port, phone, AUTH_PAGE);
    const started = await authorizationRequest(client.config);
    const response = await rawRequest(server.port, {
      method: 'POST', host: AUTH_HOST, path: '/auth/oidc/authorize',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: started.url.search.slice(1),
    });
    await exchange(client, started, redirectOf(response));
  });

  it('lets only the origins of registered redirect URIs call the token endpoint from a browser', async () => {
    const client = await party();
    const preflight = (origin: string) =>
      rawRequest(server.port, { method: 'OPTIONS', host: AUTH_HOST, path: '/auth/oidc/token', headers: { origin, 'access-control-request-method': 'POST' } });
    const allowed = await preflight(`https://${APP_HOST}`);
    expect(allowed.headers['access-control-allow-origin']).toBe(`https://${APP_HOST}`);
    expect((await preflight('https://evil.example.net')).headers['access-control-allow-origin']).toBeUndefined();

    const tokenCall = (origin: string) =>
      rawRequest(server.port, {
        method: 'POST', host: AUTH_HOST, path: '/auth/oidc/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin, authorization: `Basic ${Buffer.from(`${client.clientId}:${client.secret}`).toString('base64')}` },
        body: 'grant_type=authorization_code&code=x',
      });
    expect((await tokenCall(`https://${APP_HOST}`)).headers['access-control-allow-origin']).toBe(`https://${APP_HOST}`);
    expect((await tokenCall('https://evil.example.net')).headers['access-control-allow-origin']).toBeUndefined();
  });
});
