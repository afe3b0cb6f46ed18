/**
 * Connected apps: once a person signed in to an app through OpenID Connect, their account page
 * lists it under "Signed in with Passkey Auth" and disconnecting removes it; the admin's page of
 * that person lists it too. Screenshots of both (light/dark, desktop/phone) go to /tmp for review.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures.js';
import { apiJson, clickAndConfirm } from './support/pages.js';

test.use({ serverMode: 'dedicated' });

const REDIRECT = 'http://127.0.0.1:9/callback';
const SHOTS = process.env.CONNECTED_APPS_SHOTS;

/** Registers an app and has the signed-in browser authorize it: the grant a sign-in to it leaves. */
async function signInToApp(page: Page, name: string): Promise<string> {
  const created = await apiJson(page, 'POST', 'admin/oidc/clients', { client_name: name, redirect_uris: [REDIRECT], scope: 'openid profile email offline_access' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const clientId: string = created.body.client_id;
  const query = new URLSearchParams({
    response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, scope: 'openid profile email offline_access', state: 's',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256',
  });
  // The browser's own request with its session: the server issues the code (a redirect to the app, not followed).
  const type = await page.evaluate(async (url) => (await fetch(url, { redirect: 'manual' })).type, `/auth/oidc/authorize?${query}`);
  expect(type).toBe('opaqueredirect');
  return clientId;
}

async function shoot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const width of [1280, 390]) {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize({ width, height: 800 });
      await page.screenshot({ path: `${SHOTS}/${name}.${colorScheme}.${width}.png`, fullPage: true, animations: 'disabled' });
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

test('the account page lists an app signed in to with Passkey Auth, and disconnecting removes it', async ({ server, page, authenticator }) => {
  void authenticator;
  await page.goto(server.bootstrapLink);
  await page.getByTestId('register-button').click();
  await expect(page.getByTestId('account-name')).toHaveText('Admin');
  const me = await apiJson(page, 'GET', 'admin/me');
  await signInToApp(page, 'Grafana');
  await signInToApp(page, 'Reports');

  await page.reload();
  const apps = page.getByTestId('connected-app-item');
  await expect(apps).toHaveCount(2);
  await expect(page.getByRole('heading', { name: 'Signed in with Passkey Auth' })).toBeVisible();
  // No proxied apps: the empty message would contradict the list below it.
  await expect(page.getByTestId('apps-empty')).toHaveCount(0);
  const reports = apps.filter({ hasText: 'Reports' });
  await expect(reports.getByTestId('connected-app-receives')).toHaveText('Receives: name, username, email address; stays signed in (offline access)');
  await shoot(page, 'account-connected-apps');

  await page.goto(`${server.authOrigin}/auth/admin/#/users/${me.body.user.id}`);
  await expect(page.getByTestId('connected-app-item')).toHaveCount(2);
  await shoot(page, 'admin-user-connected-apps');

  await page.goto(`${server.authOrigin}/`);
  await clickAndConfirm(reports, 'connected-app-disconnect');
  await expect(apps).toHaveCount(1);
  await expect(apps).toContainText('Grafana');
  expect((await apiJson(page, 'GET', 'user/apps')).body.map((app: { name: string }) => app.name)).toEqual(['Grafana']);
});
