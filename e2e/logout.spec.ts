/**
 * Signing out reaches every app, end to end in Chromium: a person signs in to two openid-client
 * apps with one passkey sign-in, signs out of one of them (RP-initiated logout: the app sends the
 * browser to the end-session endpoint with its ID token), and both apps are told server to server
 * (back-channel logout), with a logout token each verified against the JWKS.
 */
import { expect, test } from './support/fixtures.js';
import { freePort } from './support/childProcess.js';
import { adminApi, apiJson } from './support/pages.js';
import { openidClientAppLogoutUris, openidClientAppRedirectUri, RP_CLAIMS_TESTID, RP_SIGNED_OUT_TESTID, startOpenidClientApp, type RunningOpenidClientApp } from './support/openidClientApp.js';

test('signing out of one app with RP-initiated logout tells both apps through back-channel logout', async ({ server, page, authenticator }) => {
  void authenticator;
  await page.goto(server.bootstrapLink);
  await page.getByTestId('register-button').click();
  await expect(page.getByTestId('account-name')).toHaveText('Admin');

  /** Registers an app on `port` with its sign-out addresses, and starts it. */
  const startApp = async (clientId: string): Promise<RunningOpenidClientApp> => {
    const port = await freePort();
    const { postLogoutRedirectUri, backchannelLogoutUri } = openidClientAppLogoutUris(port);
    const created = await adminApi<{ client_secret: string }>(page, 'POST', '/oidc/clients', {
      client_id: clientId, client_name: clientId, redirect_uris: [openidClientAppRedirectUri(port)],
      post_logout_redirect_uris: [postLogoutRedirectUri], backchannel_logout_uri: backchannelLogoutUri,
    });
    return startOpenidClientApp({ port, issuer: `${server.authOrigin}/auth`, clientId, clientSecret: created.client_secret, scope: 'openid profile' });
  };
  const apps = [await startApp('reports'), await startApp('wiki')];
  try {
    const sids: string[] = [];
    await test.step('the person, signed in to Passkey Auth, signs in to both apps without another passkey use', async () => {
      for (const app of apps) {
        await page.goto(app.loginUrl);
        await expect(page).toHaveURL(new RegExp(`^${app.origin}/callback\\?`));
        sids.push(JSON.parse((await page.getByTestId(RP_CLAIMS_TESTID).textContent())!).idToken.sid);
      }
      expect(sids[0]).toBe(sids[1]);
    });

    await test.step('signing out of the first app ends the sign-in and returns to it with its state', async () => {
      await page.goto(apps[0]!.logoutUrl);
      await expect(page).toHaveURL(`${apps[0]!.origin}/signed-out?state=bye`);
      await expect(page.getByTestId(RP_SIGNED_OUT_TESTID)).toHaveText('bye');
    });

    await test.step('both apps are told, server to server, within seconds', async () => {
      for (const app of apps) {
        await expect.poll(() => app.backchannelLogouts.length, { timeout: 10_000 }).toBe(1);
        expect(app.backchannelLogouts[0]).toMatchObject({ sid: sids[0] });
      }
    });

    await test.step('the browser is signed out of Passkey Auth too', async () => {
      // A page on the auth host that does not offer the passkey (the sign-in page would use it at once).
      await page.goto(`${server.authOrigin}/auth/oidc/logout/done`);
      await expect(page.getByTestId('logout-done')).toBeVisible();
      expect((await apiJson(page, 'POST', 'validate')).status).toBe(401);
    });
  } finally {
    for (const app of apps) await app.stop();
  }
});
