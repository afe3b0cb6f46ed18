/**
 * Back-channel logout against the real server: each way a grant ends makes the app's receiver (a
 * node:http server on 127.0.0.1) get a logout token within seconds, verified against the JWKS as an
 * app does; and a receiver that is down gets retries with back-off, then an audited give-up.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import type { TestServer } from '../testing/testServer.js';
import { SoftAuthenticator } from '../testing/softAuthenticator.js';
import { api, onboard, signIn, startWithAdmin } from '../testing/flows.js';
import { APP_HOST, AUTH_HOST, AUTH_PAGE, OIDC_SERVER_FLAGS, browse, relyingParty, userinfo, type RelyingParty } from '../testing/oidcFlows.js';
import * as flows from '../testing/oidcFlows.js';
import { logoutTokenFor, startLogoutReceiver, verifyLogoutToken, type LogoutReceiver } from '../testing/logoutReceiver.js';
import { freePort } from '../testing/testServer.js';
import { MAX_ATTEMPTS, retryDelayMs } from './logoutWorker.js';
import { postLogoutToken } from './postLogoutToken.js';

let server: TestServer;
let receiver: LogoutReceiver;
let orgId: string;
let roleId: string;
let adminCookie: string;
const adminKey = new SoftAuthenticator();
const BYE = `https://${APP_HOST}/signed-out`;
let people = 0;

beforeAll(async () => {
  server = await startWithAdmin(OIDC_SERVER_FLAGS, adminKey, AUTH_PAGE);
  receiver = await startLogoutReceiver();
  adminCookie = await signIn(server.port, adminKey, AUTH_PAGE);
  const { db } = server.deps.database;
  orgId = (await db.selectFrom('users').select('org_id').executeTakeFirstOrThrow()).org_id;
  roleId = (await db.selectFrom('roles').select('id').where('org_id', '=', orgId).where('display_name', '=', 'Member').executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});

const party = (backchannelLogoutUri = receiver.url) => relyingParty(server, orgId, { backchannelLogoutUri, postLogoutRedirectUris: [BYE] });

/** A new person, signed in on the auth host (cookie), with an app signed in through that sign-in. */
async function personSignedInTo(...clients: RelyingParty[]) {
  const person = await onboard(server.port, AUTH_PAGE, adminCookie, { displayName: `Person ${++people}`, orgId, roleId });
  const apps = [];
  for (const client of clients) apps.push((await flows.signInToApp(server, client.config, person.cookie)).tokens);
  const sid = apps[0]!.claims()!.sid as string;
  return { ...person, apps, sid };
}

/** The app's receiver got a valid logout token for this person's sign-in. */
async function expectToldOf(client: RelyingParty, sub: string, sid: string) {
  const claims = await verifyLogoutToken(server, await logoutTokenFor(receiver, client.clientId), client.clientId);
  expect(claims).toMatchObject({ sub, sid });
}

const admin = (method: string, path: string) => api(server.port, method, `/auth/api/admin${path}`, { host: AUTH_HOST, cookie: adminCookie, origin: AUTH_PAGE.origin });
const asPerson = (cookie: string, method: string, path: string) => api(server.port, method, path, { host: AUTH_HOST, cookie, origin: AUTH_PAGE.origin });

describe('every way a grant ends tells the app', () => {
  it('RP-initiated logout: both apps of the sign-in are told, and their tokens stop working', async () => {
    const [first, second] = [await party(), await party()];
    const person = await personSignedInTo(first, second);
    const url = oidc.buildEndSessionUrl(first.config, { id_token_hint: person.apps[0]!.id_token!, post_logout_redirect_uri: BYE });
    expect((await browse(server, url, null)).status).toBe(303);
    await expectToldOf(first, person.id, person.sid);
    await expectToldOf(second, person.id, person.sid);
    expect((await userinfo(server, person.apps[1]!.access_token)).status).toBe(401);
  });

  it('signing out', async () => {
    const client = await party();
    const person = await personSignedInTo(client);
    expect((await asPerson(person.cookie, 'POST', '/auth/api/logout')).status).toBe(204);
    await expectToldOf(client, person.id, person.sid);
    expect((await userinfo(server, person.apps[0]!.access_token)).status).toBe(401);
  });

  it('signing out everywhere', async () => {
    const client = await party();
    const person = await personSignedInTo(client);
    expect((await asPerson(person.cookie, 'POST', '/auth/api/user/logout-all')).status).toBe(204);
    await expectToldOf(client, person.id, person.sid);
  });

  it('an admin ending one session', async () => {
    const client = await party();
    const person = await personSignedInTo(client);
    expect((await admin('DELETE', `/users/${person.id}/sessions/${person.sid}`)).status).toBe(204);
    await expectToldOf(client, person.id, person.sid);
  });

  it('an admin ending every session', async () => {
    const client = await party();
    const person = await personSignedInTo(client);
    expect((await admin('DELETE', `/users/${person.id}/sessions`)).status).toBe(204);
    await expectToldOf(client, person.id, person.sid);
  });

  it('deleting the passkey the sign-in used', async () => {
    const client = await party();
    const person = await personSignedInTo(client);
    const credential = await server.deps.database.db.selectFrom('credentials').select('id').where('user_id', '=', person.id).executeTakeFirstOrThrow();
    expect((await admin('DELETE', `/users/${person.id}/credentials/${credential.id}`)).status).toBe(204);
    await expectToldOf(client, person.id, person.sid);
  });

  it('deleting the person', async () => {
    const client = await party();
    const person = await personSignedInTo(client);
    expect((await admin('DELETE', `/users/${person.id}`)).status).toBe(204);
    await expectToldOf(client, person.id, person.sid);
  });

  it('a refresh token used twice', async () => {
    const client = await party();
    const person = await personSignedInTo(client);
    const refreshToken = person.apps[0]!.refresh_token!;
    await oidc.refreshTokenGrant(client.config, refreshToken);
    await expect(oidc.refreshTokenGrant(client.config, refreshToken)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expectToldOf(client, person.id, person.sid);
  });

  it('revoking a token (RFC 7009)', async () => {
    const client = await party();
    const person = await personSignedInTo(client);
    await oidc.tokenRevocation(client.config, person.apps[0]!.refresh_token!);
    await expectToldOf(client, person.id, person.sid);
  });

  it('disconnecting the app on the account page', async () => {
    const client = await party();
    const person = await personSignedInTo(client);
    expect((await asPerson(person.cookie, 'DELETE', `/auth/api/user/apps/${client.clientId}`)).status).toBe(204);
    await expectToldOf(client, person.id, person.sid);
  });

  it('an app without a back-channel URI is not told, and one notice covers several grants of one sign-in', async () => {
    const silent = await relyingParty(server, orgId);
    const client = await party();
    const person = await onboard(server.port, AUTH_PAGE, adminCookie, { displayName: `Person ${++people}`, orgId, roleId });
    await flows.signInToApp(server, silent.config, person.cookie);
    await flows.signInToApp(server, client.config, person.cookie);
    await flows.signInToApp(server, client.config, person.cookie);
    const before = receiver.received.length;
    expect((await asPerson(person.cookie, 'POST', '/auth/api/logout')).status).toBe(204);
    await logoutTokenFor(receiver, client.clientId);
    await server.logoutWorker.runOnce();
    expect(receiver.received.slice(before).map((one) => JSON.parse(Buffer.from(one.logoutToken.split('.')[1]!, 'base64url').toString()).aud)).toEqual([client.clientId]);
  });
});

describe('when the app does not take the notice', () => {
  /** The audit entries of back-channel failures for this app, oldest first. */
  async function failures(clientId: string) {
    const rows = await server.deps.database.db.selectFrom('audit_log').select(['action', 'detail']).where('target', '=', clientId).where('action', 'like', 'oidc_backchannel%').orderBy('id').execute();
    return rows.map((row) => ({ action: row.action, ...(JSON.parse(row.detail) as { attempt: number; error: string; retryAt?: number }) }));
  }
  const pending = (clientId: string) => server.deps.database.db.selectFrom('oidc_logout_deliveries').selectAll().where('client_id', '=', clientId).execute();

  async function waitForFailures(clientId: string, count: number) {
    const deadline = Date.now() + 5000;
    while ((await failures(clientId)).length < count) {
      if (Date.now() > deadline) throw new Error(`fewer than ${count} failures audited`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('retries with back-off while the receiver is down, audits each failure, and gives up after the last attempt', async () => {
    const down = await freePort();
    const client = await party(`http://127.0.0.1:${down}/backchannel`);
    const person = await personSignedInTo(client);
    expect((await asPerson(person.cookie, 'POST', '/auth/api/logout')).status).toBe(204);
    await waitForFailures(client.clientId, 1);
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      const [row] = await pending(client.clientId);
      expect(row).toMatchObject({ attempts: attempt, last_error: expect.stringContaining('ECONNREFUSED') });
      // Not due before its back-off has passed…
      server.advanceClock(retryDelayMs(attempt) - 1000);
      await server.logoutWorker.runOnce();
      expect(await failures(client.clientId)).toHaveLength(attempt);
      // …and tried again once it has.
      server.advanceClock(1000);
      await server.logoutWorker.runOnce();
      await waitForFailures(client.clientId, attempt + 1);
    }
    const audited = await failures(client.clientId);
    expect(audited.map((entry) => entry.action)).toEqual([...Array(MAX_ATTEMPTS - 1).fill('oidc_backchannel_logout_failed'), 'oidc_backchannel_logout_gave_up']);
    expect(audited.map((entry) => entry.attempt)).toEqual(Array.from({ length: MAX_ATTEMPTS }, (_, index) => index + 1));
    expect(await pending(client.clientId)).toEqual([]);
    const metrics = await server.metrics.registry.getSingleMetricAsString('passkey_auth_backchannel_logout_deliveries_total');
    expect(metrics).toContain('result="gave_up"} 1');
  });

  it('does not follow a redirect: a 3xx is a failure, and nothing reaches where it points', async () => {
    const redirecting = await startLogoutReceiver();
    redirecting.status = 302;
    try {
      const client = await party(redirecting.url);
      const person = await personSignedInTo(client);
      expect((await asPerson(person.cookie, 'POST', '/auth/api/logout')).status).toBe(204);
      await waitForFailures(client.clientId, 1);
      expect((await failures(client.clientId))[0]).toMatchObject({ action: 'oidc_backchannel_logout_failed', error: 'answered HTTP 302' });
      expect(redirecting.received.map((one) => one.path)).toEqual(['/backchannel']);
    } finally {
      await redirecting.close();
    }
  });

  it('stops waiting for an app that does not answer', async () => {
    const hanging = createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = hanging.address() as AddressInfo;
      expect(await postLogoutToken(`http://127.0.0.1:${port}/bc`, 'token', 200)).toEqual({ ok: false, error: 'no answer within 200 ms' });
    } finally {
      hanging.closeAllConnections();
      await new Promise((resolve) => hanging.close(resolve));
    }
  });
});
