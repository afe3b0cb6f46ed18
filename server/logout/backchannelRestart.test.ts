/**
 * Back-channel logout notices live in the database: a notice that could not be delivered (the
 * app's receiver was down) is still sent after the service restarts on the same database.
 */
import { afterAll, expect, it } from 'vitest';
import { createEmptyDatabase } from '../testing/testDatabase.js';
import { startTestServer, type TestServer } from '../testing/testServer.js';
import { SoftAuthenticator } from '../testing/softAuthenticator.js';
import { api, signIn, startWithAdmin } from '../testing/flows.js';
import { AUTH_HOST, AUTH_PAGE, OIDC_SERVER_FLAGS, relyingParty, signInToApp } from '../testing/oidcFlows.js';
import { logoutTokenFor, startLogoutReceiver, verifyLogoutToken } from '../testing/logoutReceiver.js';
import { retryDelayMs } from './logoutWorker.js';

const database = await createEmptyDatabase();
const closing: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closing.reverse()) await close();
  await database.remove();
});

it('delivers notices pending across a restart of the service', async () => {
  const key = new SoftAuthenticator();
  const before: TestServer = await startWithAdmin(OIDC_SERVER_FLAGS, key, AUTH_PAGE, { database });
  const { db } = before.deps.database;
  const orgId = (await db.selectFrom('users').select('org_id').executeTakeFirstOrThrow()).org_id;
  // The app's receiver, then stopped: the app is down when the person signs out.
  const first = await startLogoutReceiver();
  const port = first.port;
  const client = await relyingParty(before, orgId, { backchannelLogoutUri: first.url });
  await first.close();
  const cookie = await signIn(before.port, key, AUTH_PAGE);
  const { tokens } = await signInToApp(before, client.config, cookie);
  expect((await api(before.port, 'POST', '/auth/api/logout', { host: AUTH_HOST, cookie, origin: AUTH_PAGE.origin })).status).toBe(204);
  await before.logoutWorker.runOnce();
  expect(await db.selectFrom('oidc_logout_deliveries').select(['client_id', 'attempts']).execute()).toEqual([{ client_id: client.clientId, attempts: 1 }]);
  await before.close();

  // The service comes back on the same database, and so does the app.
  const after = await startTestServer(OIDC_SERVER_FLAGS, undefined, { database });
  closing.push(() => after.close());
  const receiver = await startLogoutReceiver(port);
  closing.push(() => receiver.close());
  after.advanceClock(retryDelayMs(1));
  const token = await logoutTokenFor(receiver, client.clientId);
  expect(await verifyLogoutToken(after, token, client.clientId)).toMatchObject({ sub: tokens.claims()!.sub, sid: tokens.claims()!.sid });
  expect(await after.deps.database.db.selectFrom('oidc_logout_deliveries').selectAll().execute()).toEqual([]);
});
