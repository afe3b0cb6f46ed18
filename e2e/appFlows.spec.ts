/**
 * An app written for a hosted-page + PKCE sign-in service, end to end in Chromium: a tiny
 * single-page app on its own origin sends the browser to `/auth/app/login`, the person signs in
 * with their passkey (the virtual authenticator), and the app's script exchanges the code, asks
 * `me` and logs out through the JSON app API across origins.
 */
import { expect, test } from './support/fixtures.js';
import { freePort } from './support/childProcess.js';
import { apiJson } from './support/pages.js';
import { HOSTED_APP_RESULT_TESTID, hostedAppCallback, startHostedApp } from './support/hostedApp.js';

test('a single-page app signs a person in through the hosted page and uses the JSON app API', async ({ server, page, authenticator }) => {
  void authenticator;
  await page.goto(server.bootstrapLink);
  await page.getByTestId('register-button').click();
  await expect(page.getByTestId('account-name')).toHaveText('Admin');
  const port = await freePort();
  const created = await apiJson(page, 'POST', 'admin/oidc/clients', { client_name: 'Notes', redirect_uris: [hostedAppCallback(port)], token_endpoint_auth_method: 'none' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect((await apiJson(page, 'POST', 'logout')).status).toBe(204);

  const app = await startHostedApp(port, server.authOrigin);
  try {
    await page.goto(app.origin);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(new RegExp(`^${server.authOrigin}/auth/app/login\\?`));
    await expect(page.getByRole('heading', { name: 'Sign in to Notes' })).toBeVisible();
    await page.getByTestId('signin-button').click();

    await expect(page).toHaveURL(new RegExp(`^${app.origin}/callback\\?`));
    const result = page.getByTestId(HOSTED_APP_RESULT_TESTID);
    await expect(result).not.toBeEmpty();
    const signedIn = JSON.parse((await result.textContent())!);
    expect(signedIn.keys).toEqual(['code', 'state']);
    expect(signedIn.user).toMatchObject({ name: 'Admin', permissions: ['auth:admin'], role: { name: 'Administrator' } });
    expect(signedIn.me).toEqual(signedIn.user);

    await page.getByRole('button', { name: 'Log out' }).click();
    await expect(result).toHaveText(JSON.stringify({ logout: 204, me: 401 }));
  } finally {
    await app.stop();
  }
});
