/**
 * The REST passkey ceremonies (`/auth/api/app/passkeys/`) against the real server with a software
 * authenticator: sign-in for tokens (a native app: no Origin header, an Android or web origin in the
 * client data) and for the session cookie (cookie mode), adding a passkey after a recent sign-in, and
 * every refusal an attacker or a broken app would meet, each performed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { startTestServer, type TestServer } from '../testing/testServer.js';
import { SoftAuthenticator } from '../testing/softAuthenticator.js';
import { signIn, startWithAdmin } from '../testing/flows.js';
import { AUTH_HOST, AUTH_PAGE, APP_HOST, OIDC_SERVER_FLAGS, relyingParty, signInToApp } from '../testing/oidcFlows.js';
import { APP_ORIGIN, appApi, expectAppError, registerApp } from '../testing/appFlows.js';
import { rawRequest, type RawResponse } from '../testing/rawHttp.js';
import { cookieHeader, cookiesSet } from '../testing/cookieJar.js';
import type { AppTokens } from '../../shared/appFlows.js';
import type { PasskeyBegun, PasskeyCookieSignIn, PasskeyRegistered } from '../../shared/passkeyRest.js';
import type { OidcClient } from '../db/oidcClients.js';
import { findOidcGrant } from '../db/oidcGrants.js';
import { CHALLENGE_KEY_LIFETIME_MS } from './passkeyRestRoutes.js';

/** An Android app's origin: the base64url SHA-256 of its signing certificate. */
const ANDROID_ORIGIN = `android:apk-key-hash:${Buffer.alloc(32, 7).toString('base64url')}`;
const OTHER_ANDROID_ORIGIN = `android:apk-key-hash:${Buffer.alloc(32, 9).toString('base64url')}`;

let server: TestServer;
let orgId: string;
let notes: OidcClient;
const phone = new SoftAuthenticator();

beforeAll(async () => {
  server = await startWithAdmin([...OIDC_SERVER_FLAGS, '--app-origin', ANDROID_ORIGIN], phone, AUTH_PAGE);
  orgId = (await server.deps.database.db.selectFrom('users').select('org_id').executeTakeFirstOrThrow()).org_id;
  notes = await registerApp(server, orgId);
});
afterAll(() => server.close());

interface Call {
  body?: unknown;
  host?: string;
  origin?: string;
  cookie?: string;
  bearer?: string;
  headers?: Record<string, string>;
}

/** A call to `/auth/api/app/passkeys/<endpoint>`; by default as a native app makes it: no Origin, no cookie. */
function rest(endpoint: string, call: Call = {}): Promise<RawResponse> {
  return rawRequest(server.port, {
    method: 'POST',
    host: call.host ?? AUTH_HOST,
    path: `/auth/api/app/passkeys/${endpoint}`,
    headers: {
      'content-type': 'application/json',
      ...(call.origin === undefined ? {} : { origin: call.origin }),
      ...(call.cookie === undefined ? {} : { cookie: call.cookie }),
      ...(call.bearer === undefined ? {} : { authorization: `Bearer ${call.bearer}` }),
      ...call.headers,
    },
    body: JSON.stringify(call.body ?? {}),
  });
}

function ok<T>(response: RawResponse, status = 200): T {
  expect(response.status, response.body).toBe(status);
  return JSON.parse(response.body) as T;
}

type AuthenticateBegun = PasskeyBegun<PublicKeyCredentialRequestOptionsJSON>;
type RegisterBegun = PasskeyBegun<PublicKeyCredentialCreationOptionsJSON>;

const beginSignIn = async (call: Call = { body: { client_id: notes.id } }) => ok<AuthenticateBegun>(await rest('authenticate/begin', call));
const complete = (kind: 'authenticate' | 'register', challengeKey: string, credential: AuthenticationResponseJSON | RegistrationResponseJSON, call: Call = {}) =>
  rest(`${kind}/complete`, { ...call, body: { challengeKey, credential } });

/** A native app's whole sign-in: begin for the app, the platform's answer for `origin`, complete. */
async function nativeSignIn(origin = ANDROID_ORIGIN, key = phone): Promise<AppTokens> {
  const { challengeKey, options } = await beginSignIn();
  return ok<AppTokens>(await complete('authenticate', challengeKey, key.authenticate(options, origin)));
}

/** Cookie mode on the app's host: begin and complete from its page; returns the answer and the cookies it set. */
async function cookieSignIn(key = phone): Promise<{ body: PasskeyCookieSignIn; cookies: Record<string, string> }> {
  const page = { host: APP_HOST, origin: APP_ORIGIN };
  const { challengeKey, options } = await beginSignIn(page);
  const response = await complete('authenticate', challengeKey, key.authenticate(options, APP_ORIGIN), page);
  return { body: ok<PasskeyCookieSignIn>(response), cookies: cookiesSet(response) };
}

describe('token mode: a native app signs in', () => {
  it('gets the OpenID Connect tokens and the user, which me, refresh, check and logout accept', async () => {
    const begun = await beginSignIn();
    expect(begun.challengeKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(begun.options).toMatchObject({ rpId: 'example.com', userVerification: 'required', allowCredentials: [] });

    const tokens = ok<AppTokens>(await complete('authenticate', begun.challengeKey, phone.authenticate(begun.options, ANDROID_ORIGIN)));
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 1800, user: { name: 'Admin', permissions: ['auth:admin'] } });
    expect(tokens.refresh_token).toEqual(expect.any(String));
    // A grant like the authorization code flow's: no browser session behind it, a synced passkey's amr.
    const grantId = JSON.parse(Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString()).grant_id as string;
    expect(await findOidcGrant(server.deps.database.db, grantId)).toMatchObject({ client_id: notes.id, session_id: null, amr: '["swk","mfa"]' });

    const me = await appApi(server, 'GET', 'me', { bearer: tokens.access_token });
    expect(ok(me)).toEqual(tokens.user);
    expect(ok(await appApi(server, 'POST', 'check', { body: { token: tokens.access_token, app_id: notes.id } }))).toEqual({ valid: true, user: tokens.user });
    const refreshed = ok<AppTokens>(await appApi(server, 'POST', 'refresh', { body: { refresh_token: tokens.refresh_token } }));
    expect(refreshed.user).toEqual(tokens.user);
    expect((await appApi(server, 'POST', 'logout', { bearer: refreshed.access_token })).status).toBe(204);
    expectAppError(await appApi(server, 'GET', 'me', { bearer: refreshed.access_token }), 401, 'invalid_token');
  });

  it("accepts the app's web origin (iOS apps answer with their associated domain's), and fewer scopes", async () => {
    const { challengeKey, options } = await beginSignIn({ body: { client_id: notes.id, scope: 'openid profile' } });
    const tokens = ok<AppTokens>(await complete('authenticate', challengeKey, phone.authenticate(options, AUTH_PAGE.origin)));
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.user).toMatchObject({ name: 'Admin', email: null, permissions: [] });
  });

  it('refuses an Android app whose signing key is not configured, and a web origin outside --origin', async () => {
    for (const origin of [OTHER_ANDROID_ORIGIN, 'https://example.org']) {
      const { challengeKey, options } = await beginSignIn();
      const response = await complete('authenticate', challengeKey, phone.authenticate(options, origin));
      expectAppError(response, 403, 'verification_failed');
      expect(JSON.parse(response.body).detail).toBe(`Passkey verification failed: the origin ${JSON.stringify(origin)} is not allowed`);
    }
  });

  it('refuses a confidential client and an unknown one at begin', async () => {
    const confidential = await registerApp(server, orgId, { name: 'Backend', tokenEndpointAuthMethod: 'client_secret_basic' });
    expectAppError(await rest('authenticate/begin', { body: { client_id: confidential.id } }), 400, 'invalid_client');
    expectAppError(await rest('authenticate/begin', { body: { client_id: 'nobody' } }), 400, 'invalid_client');
    expectAppError(await rest('authenticate/begin', { body: { client_id: notes.id, scope: 'profile' } }), 400, 'invalid_scope');
  });
});

describe('cookie mode: a first-party web app signs in on its own host', () => {
  it('sets the session cookie and its CSRF cookie for that host, and answers the CSRF token', async () => {
    const { body, cookies } = await cookieSignIn();
    expect(body.user.displayName).toBe('Admin');
    const session = cookies['__Host-passkey-auth']!;
    expect(cookies['__Host-passkey-auth-csrf']).toBe(body.csrfToken);
    const validate = await rawRequest(server.port, { method: 'POST', host: APP_HOST, path: '/auth/api/validate', headers: { cookie: `__Host-passkey-auth=${session}`, origin: APP_ORIGIN } });
    expect(validate.status).toBe(200);
    expect(JSON.parse(validate.body).sessionId).toBe(body.sessionId);
  });

  it('requires the CSRF token on a state-changing request that names no page', async () => {
    const { body, cookies } = await cookieSignIn();
    const logout = (headers: Record<string, string>) => rawRequest(server.port, { method: 'POST', host: APP_HOST, path: '/auth/api/logout', headers: { cookie: cookieHeader(cookies), ...headers } });
    expect((await logout({})).status).toBe(403);
    expect((await logout({ 'x-csrf-token': 'x'.repeat(43) })).status).toBe(403);
    expect((await logout({ 'x-csrf-token': body.csrfToken })).status).toBe(204);
  });

  it('refuses an answer whose origin is another host than the cookie is for', async () => {
    const { challengeKey, options } = await beginSignIn({ host: APP_HOST, origin: APP_ORIGIN });
    const response = await complete('authenticate', challengeKey, phone.authenticate(options, 'https://wiki.example.com'), { host: APP_HOST, origin: APP_ORIGIN });
    expectAppError(response, 403, 'verification_failed');
    expect(JSON.parse(response.body).detail).toMatch(/is not on app\.example\.com, the host the session cookie is for/);
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('refuses an Android origin: cookie mode is for web pages', async () => {
    const { challengeKey, options } = await beginSignIn({ host: APP_HOST });
    expectAppError(await complete('authenticate', challengeKey, phone.authenticate(options, ANDROID_ORIGIN), { host: APP_HOST }), 403, 'verification_failed');
  });

  it('refuses a complete on another host than the begin', async () => {
    const { challengeKey, options } = await beginSignIn({ host: APP_HOST, origin: APP_ORIGIN });
    expectAppError(await complete('authenticate', challengeKey, phone.authenticate(options, AUTH_PAGE.origin), AUTH_PAGE), 404, 'challenge_invalid');
  });
});

describe('the challenge key', () => {
  it('expires after 2 minutes', async () => {
    const { challengeKey, options } = await beginSignIn();
    server.advanceClock(CHALLENGE_KEY_LIFETIME_MS + 1);
    expectAppError(await complete('authenticate', challengeKey, phone.authenticate(options, ANDROID_ORIGIN)), 404, 'challenge_invalid');
  });

  it('is single use', async () => {
    const { challengeKey, options } = await beginSignIn();
    ok(await complete('authenticate', challengeKey, phone.authenticate(options, ANDROID_ORIGIN)));
    expectAppError(await complete('authenticate', challengeKey, phone.authenticate(options, ANDROID_ORIGIN)), 404, 'challenge_invalid');
  });

  it('is single use when completes race', async () => {
    const { challengeKey, options } = await beginSignIn();
    // Each answer signed in turn, so that every one would verify (the signature counter only rises).
    const signed = Array.from({ length: 8 }, () => phone.authenticate(options, ANDROID_ORIGIN));
    const answers = await Promise.all(signed.reverse().map((answer) => complete('authenticate', challengeKey, answer)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 404, 404, 404, 404, 404, 404, 404]);
  });

  it('lets one of several sign-ins racing with the same signature counter (a cloned passkey) through', async () => {
    const begun = await Promise.all(Array.from({ length: 4 }, () => beginSignIn()));
    // The passkey the phone answers with (its newest), signing every answer with the same next counter.
    const counter = phone.credentials.at(-1)!.counter + 1;
    const answers = await Promise.all(begun.map(({ challengeKey, options }) => complete('authenticate', challengeKey, phone.authenticate(options, ANDROID_ORIGIN, { counter }))));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 403, 403, 403]);
  });

  it('is spent by a failed verification', async () => {
    const { challengeKey, options } = await beginSignIn();
    expectAppError(await complete('authenticate', challengeKey, phone.authenticate(options, ANDROID_ORIGIN, { badSignature: true })), 403, 'verification_failed');
    expectAppError(await complete('authenticate', challengeKey, phone.authenticate(options, ANDROID_ORIGIN)), 404, 'challenge_invalid');
  });

  it('of a sign-in does not complete a registration, nor one of a registration a sign-in', async () => {
    const cookie = await signIn(server.port, phone, AUTH_PAGE);
    const page = { cookie, origin: AUTH_PAGE.origin };
    const signInKey = (await beginSignIn()).challengeKey;
    const registration = ok<RegisterBegun>(await rest('register/begin', page));
    const answer = new SoftAuthenticator().register(registration.options, AUTH_PAGE.origin);
    expectAppError(await complete('register', signInKey, answer, page), 404, 'challenge_invalid');
    const signInAnswer = phone.authenticate({ challenge: registration.options.challenge, rpId: 'example.com' }, ANDROID_ORIGIN);
    expectAppError(await complete('authenticate', registration.challengeKey, signInAnswer), 404, 'challenge_invalid');
  });
});

describe('user verification', () => {
  it('is required: a bare touch of a key signs nobody in', async () => {
    const { challengeKey, options } = await beginSignIn();
    const response = await complete('authenticate', challengeKey, phone.authenticate(options, ANDROID_ORIGIN, { userVerified: false }));
    expectAppError(response, 403, 'verification_failed');
  });

  it('is required to register', async () => {
    const page = { cookie: await signIn(server.port, phone, AUTH_PAGE), origin: AUTH_PAGE.origin };
    const { challengeKey, options } = ok<RegisterBegun>(await rest('register/begin', page));
    const response = await complete('register', challengeKey, new SoftAuthenticator().register(options, AUTH_PAGE.origin, { userVerified: false }), page);
    expectAppError(response, 403, 'verification_failed');
  });
});

describe('adding a passkey', () => {
  it('with a recent session on the auth host (cookie mode); the new passkey then signs in', async () => {
    const cookie = await signIn(server.port, phone, AUTH_PAGE);
    const { challengeKey, options } = ok<RegisterBegun>(await rest('register/begin', { cookie, origin: AUTH_PAGE.origin }));
    expect(options.excludeCredentials).toHaveLength(phone.credentials.length);
    const laptop = new SoftAuthenticator();
    const added = ok<PasskeyRegistered>(await complete('register', challengeKey, laptop.register(options, AUTH_PAGE.origin), { cookie, origin: AUTH_PAGE.origin }), 201);
    expect(added.user.displayName).toBe('Admin');
    expect((await nativeSignIn(ANDROID_ORIGIN, laptop)).user.name).toBe('Admin');
  });

  it('with the access token of a recent native sign-in (token mode), from the Android app', async () => {
    const tokens = await nativeSignIn();
    const { challengeKey, options } = ok<RegisterBegun>(await rest('register/begin', { bearer: tokens.access_token }));
    const tablet = new SoftAuthenticator();
    ok<PasskeyRegistered>(await complete('register', challengeKey, tablet.register(options, ANDROID_ORIGIN), { bearer: tokens.access_token }), 201);
    expect((await nativeSignIn(ANDROID_ORIGIN, tablet)).user.name).toBe('Admin');
  });

  it('is refused without a recent sign-in, with a session or an access token', async () => {
    const cookie = await signIn(server.port, phone, AUTH_PAGE);
    const tokens = await nativeSignIn();
    server.advanceClock(11 * 60 * 1000);
    expectAppError(await rest('register/begin', { cookie, origin: AUTH_PAGE.origin }), 401, 'reauth_required');
    expectAppError(await rest('register/begin', { bearer: tokens.access_token }), 401, 'reauth_required');
  });

  it('is refused when not signed in, with a bad token, and with the token of a confidential client (held by an app server)', async () => {
    expectAppError(await rest('register/begin'), 401, 'reauth_required');
    expectAppError(await rest('register/begin', { bearer: 'not-a-token' }), 401, 'invalid_token');
    const backend = await relyingParty(server, orgId);
    const { tokens } = await signInToApp(server, backend.config, await signIn(server.port, phone, AUTH_PAGE));
    expectAppError(await rest('register/begin', { bearer: tokens.access_token }), 403, 'account_host_only');
  });

  it('is refused from a session on an app host: it cannot change the account', async () => {
    const { cookies } = await cookieSignIn();
    const response = await rest('register/begin', { host: APP_HOST, origin: APP_ORIGIN, cookie: cookieHeader(cookies) });
    expectAppError(response, 403, 'account_host_only');
  });

  it('needs the same person at complete: a leaked key alone adds nothing', async () => {
    const cookie = await signIn(server.port, phone, AUTH_PAGE);
    const { challengeKey, options } = ok<RegisterBegun>(await rest('register/begin', { cookie, origin: AUTH_PAGE.origin }));
    const thief = new SoftAuthenticator();
    expectAppError(await complete('register', challengeKey, thief.register(options, AUTH_PAGE.origin)), 401, 'reauth_required');
  });
});

describe('rate limit', () => {
  it('counts begins per address, like the WebSocket ceremonies', async () => {
    const limited = await startTestServer([], { ceremoniesPerMinute: 2, secretsPerMinute: 100 });
    try {
      const begin = () => rawRequest(limited.port, { method: 'POST', path: '/auth/api/app/passkeys/authenticate/begin', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect((await begin()).status).toBe(200);
      expect((await begin()).status).toBe(200);
      expectAppError(await begin(), 429, 'rate_limited');
    } finally {
      await limited.close();
    }
  });
});
