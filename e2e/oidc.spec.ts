/**
 * Apps that sign people in through OpenID Connect, end to end in Chromium: the administrator
 * registers the app on the Apps page, the person signs out, the app sends the browser to Passkey
 * Auth, the person signs in with their passkey (the virtual authenticator) and the app receives
 * verified claims. Two relying parties: a small app on `openid-client` (ID-token signature
 * checked), and Apache httpd with Debian's mod_auth_openidc, which this project did not write.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures.js';
import type { RunningServer } from './support/server.js';
import { freePort } from './support/childProcess.js';
import { apiJson } from './support/pages.js';
import { startUpstream, UPSTREAM_DUMP_TESTID } from './support/upstream.js';
import { APACHE_CLIENT_ID, APACHE_PROTECTED_PATH, apacheRedirectUri, startApache } from './support/apacheRelyingParty.js';
import { openidClientAppRedirectUri, RP_CLAIMS_TESTID, startOpenidClientApp } from './support/openidClientApp.js';

const EMAIL = 'ada@example.com';

/** The first administrator registers their passkey and gives themselves a verified email; returns their user id. */
async function registerAdmin(page: Page, server: RunningServer): Promise<string> {
  await page.goto(server.bootstrapLink);
  await page.getByTestId('register-button').click();
  await expect(page.getByTestId('account-name')).toHaveText('Admin');
  const me = await apiJson(page, 'GET', 'admin/me');
  const changed = await apiJson(page, 'PATCH', `admin/users/${me.body.user.id}`, { email: EMAIL, emailVerified: true });
  expect(changed.status, JSON.stringify(changed.body)).toBe(200);
  return me.body.user.id;
}

/** Signs the page's browser out, so the app's sign-in has to ask for the passkey. */
async function signOut(page: Page): Promise<void> {
  expect((await apiJson(page, 'POST', 'logout')).status).toBe(204);
}

/** On the authorization page: sign in with the passkey. */
async function signInAtProvider(page: Page, server: RunningServer): Promise<void> {
  await expect(page).toHaveURL(new RegExp(`^${server.authOrigin}/auth/oidc/authorize\\?`));
  await page.getByTestId('signin-button').click();
}

test('an openid-client app registered on the Apps page signs a person in and receives verified claims', async ({ server, page, authenticator }) => {
  void authenticator;
  const userId = await registerAdmin(page, server);
  const port = await freePort();

  let clientSecret = '';
  await test.step('the administrator registers the app with its own client ID; the secret is shown once', async () => {
    await page.goto(`${server.authOrigin}/auth/admin/#/apps`);
    await page.getByTestId('new-app-name').fill('Reports');
    await page.getByTestId('new-app-client-id').fill('reports');
    // A typo is named before anything is sent.
    await page.getByTestId('new-app-redirect-uris').fill(`http://reports.example.com/callback`);
    await page.getByTestId('new-app-submit').click();
    await expect(page.getByRole('alert')).toContainText('Redirect URIs, line 1: a redirect URI may use http only on a loopback address');
    await page.getByTestId('new-app-redirect-uris').fill(openidClientAppRedirectUri(port));
    await page.getByTestId('new-app-submit').click();
    clientSecret = (await page.getByTestId('client-secret').textContent())!.trim();
    expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    await page.getByTestId('app-created-link').click();
    await expect(page.getByTestId('app-settings-block')).toContainText(`Discovery URL:          ${server.authOrigin}/auth/.well-known/openid-configuration`);
    // Shown once: the app's own page lists the secret, never the secret itself.
    await expect(page.getByTestId('secret-item')).toHaveCount(1);
    await expect(page.locator('body')).not.toContainText(clientSecret);
  });

  const app = await startOpenidClientApp({ port, issuer: `${server.authOrigin}/auth`, clientId: 'reports', clientSecret, scope: 'openid email profile' });
  try {
    await signOut(page);
    await test.step('the app sends the browser to Passkey Auth, the person signs in with the passkey, the app gets verified claims', async () => {
      await page.goto(app.loginUrl);
      await signInAtProvider(page, server);
      await expect(page).toHaveURL(new RegExp(`^${app.origin}/callback\\?`));
      const { idToken, userinfo } = JSON.parse((await page.getByTestId(RP_CLAIMS_TESTID).textContent())!);
      expect(idToken).toMatchObject({ iss: `${server.authOrigin}/auth`, aud: 'reports', sub: userId, email: EMAIL, email_verified: true, name: 'Admin' });
      expect(idToken.auth_time).toBeGreaterThan(Date.now() / 1000 - 120);
      // The virtual authenticator's passkey is not backup-eligible: device-bound (docs/oidc.md).
      expect(idToken).toMatchObject({ amr: ['hwk', 'mfa'], acr: 'urn:passkey-auth:device-bound' });
      expect(userinfo).toMatchObject({ sub: userId, email: EMAIL, email_verified: true, name: 'Admin' });
    });
  } finally {
    await app.stop();
  }
});

test('Apache with mod_auth_openidc, configured as docs/oidc.md shows, lets a signed-in person through with their claims', async ({ server, page, authenticator }) => {
  void authenticator;
  const userId = await registerAdmin(page, server);
  const apachePort = await freePort();
  const created = await apiJson(page, 'POST', 'admin/oidc/clients', { client_id: APACHE_CLIENT_ID, client_name: 'Apache', redirect_uris: [apacheRedirectUri(apachePort)] });
  expect(created.status, JSON.stringify(created.body)).toBe(201);

  const upstream = await startUpstream();
  const apache = await startApache({ port: apachePort, discoveryUrl: `${server.authOrigin}/auth/.well-known/openid-configuration`, clientSecret: created.body.client_secret, upstreamPort: upstream.port });
  try {
    await signOut(page);
    await page.goto(`${apache.origin}${APACHE_PROTECTED_PATH}/page`);
    await signInAtProvider(page, server);
    await expect(page).toHaveURL(`${apache.origin}${APACHE_PROTECTED_PATH}/page`);
    const seen = JSON.parse((await page.getByTestId(UPSTREAM_DUMP_TESTID).textContent())!);
    expect(seen.url).toBe(`${APACHE_PROTECTED_PATH}/page`);
    expect(seen.headers['oidc_claim_sub']).toEqual([userId]);
    expect(seen.headers['oidc_claim_email']).toEqual([EMAIL]);
    expect(seen.headers['oidc_claim_iss']).toEqual([`${server.authOrigin}/auth`]);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n\nApache's log:\n${apache.output()}`);
  } finally {
    await apache.stop();
    await upstream.stop();
  }
});
