/**
 * A dedicated auth host (`--auth-host`) protecting an app host under one RP ID: a page on the
 * app host runs the passkey ceremony over the auth host's WebSocket, then trades the exchange
 * code for a cookie on its own host. Hosts and RP ID are in support/hosts.ts (why not plain
 * `localhost` is explained there).
 */
import { expect, test } from './support/fixtures.js';
import { APP_HOST, AUTH_HOST, STRANGER_HOST } from './support/hosts.js';
import { apiStatus, items, webSocketOpens } from './support/pages.js';

test.use({ serverMode: 'dedicated' });

test('signing in on an app host goes through the auth host and sets a cookie for the app host', async ({ server, page, authenticator }) => {
  const authAuthority = `${AUTH_HOST}:${server.port}`;
  const sockets: string[] = [];
  page.on('websocket', (socket) => sockets.push(socket.url()));

  await test.step('the bootstrap link on the auth host registers the administrator', async () => {
    expect(server.bootstrapLink).toMatch(new RegExp(`^${server.authOrigin}/[a-z]+(\\.[a-z]+){4}$`));
    await page.goto(server.bootstrapLink);
    await page.getByTestId('register-button').click();
    await expect(page).toHaveURL(`${server.authOrigin}/`);
    await expect(page.getByTestId('account-name')).toHaveText('Admin');
    // The link token travels in the first frame: proxies log URLs.
    expect(sockets).toEqual([`ws://${authAuthority}/auth/ws/register`]);
    const credentials = await authenticator.credentials();
    expect(credentials).toHaveLength(1);
    expect(credentials[0]!.rpId).toBe('example.localhost');
  });

  await test.step('the app host shows a signed-out account summary that names the auth host', async () => {
    await page.goto(`${server.appOrigin}/`);
    await expect(page.getByRole('heading', { name: "You're not signed in" })).toBeVisible();
    await expect(page.locator('meta[name="passkey-auth-host"]')).toHaveAttribute('content', authAuthority);
    expect(await apiStatus(page, 'validate')).toBe(401);
    const appCookies = await page.context().cookies(server.appOrigin);
    expect(appCookies.map((cookie) => cookie.name)).not.toContain('passkey-auth');
  });

  await test.step('the passkey signs in on the app host through the auth host WebSocket', async () => {
    sockets.length = 0;
    const setSession = page.waitForResponse(`${server.appOrigin}/auth/api/set-session`);
    await page.getByTestId('signin-button').click();
    expect((await setSession).status()).toBe(200);
    expect(sockets).toContain(`ws://${authAuthority}/auth/ws/authenticate`);
    expect(sockets.filter((url) => url.includes(APP_HOST))).toEqual([]);
    await expect(page.getByTestId('signout-button')).toBeVisible();
    await expect(page.getByTestId('account-name')).toHaveText('Admin');
    await expect(page.getByTestId('manage-account-link')).toHaveAttribute('href', `${server.authOrigin}/`);
  });

  await test.step('the app host holds its own HttpOnly session cookie', async () => {
    await page.reload();
    await expect(page.getByTestId('signout-button')).toBeVisible();
    const appCookie = (await page.context().cookies(server.appOrigin)).find((cookie) => cookie.name === 'passkey-auth');
    expect(appCookie).toMatchObject({ domain: APP_HOST, path: '/', httpOnly: true, sameSite: 'Lax' });
    const authCookie = (await page.context().cookies(server.authOrigin)).find((cookie) => cookie.name === 'passkey-auth');
    expect(authCookie).toMatchObject({ domain: AUTH_HOST });
    expect(appCookie!.value).not.toBe(authCookie!.value);
    expect(await apiStatus(page, 'validate')).toBe(200);
  });

  await test.step('the auth host lists the sessions of both hosts', async () => {
    await page.goto(`${server.authOrigin}/`);
    await expect(items(page, 'session-item')).toHaveCount(2);
    await expect(items(page, 'session-item', true)).toContainText(AUTH_HOST);
    await expect(items(page, 'session-item', false)).toContainText(APP_HOST);
  });

  await test.step('signing out on the app host leaves the auth host signed in', async () => {
    await page.goto(`${server.appOrigin}/`);
    await page.getByTestId('signout-button').click();
    await expect(page.getByRole('heading', { name: "You're not signed in" })).toBeVisible();
    expect(await apiStatus(page, 'validate')).toBe(401);
    await page.goto(`${server.authOrigin}/`);
    await expect(page.getByTestId('account-name')).toHaveText('Admin');
    await expect(items(page, 'session-item')).toHaveCount(1);
  });
});

test('an app host sends its pages to the auth host and refuses the restricted namespaces', async ({ server, page }) => {
  const authAuthority = `${AUTH_HOST}:${server.port}`;

  await test.step('/auth/admin/ answers 307 to the auth host', async () => {
    const response = await page.goto(`${server.appOrigin}/auth/admin/?tab=users`);
    await expect(page).toHaveURL(`${server.authOrigin}/admin/?tab=users`);
    expect(response!.status()).toBe(200);
    const redirect = await response!.request().redirectedFrom()!.response();
    expect(redirect!.url()).toBe(`${server.appOrigin}/auth/admin/?tab=users`);
    expect(redirect!.status()).toBe(307);
    expect(redirect!.headers()['location']).toBe(`//${authAuthority}/admin/?tab=users`);
  });

  await test.step('a link token on the app host opens the reset page on the auth host', async () => {
    const token = server.bootstrapLink.split('/').pop()!;
    await page.goto(`${server.appOrigin}/auth/${token}`);
    await expect(page).toHaveURL(`${server.authOrigin}/${token}`);
    await expect(page.getByRole('heading', { name: "Set up the administrator's passkey" })).toBeVisible();
  });

  await test.step('the ceremony WebSocket and user API are refused on the app host', async () => {
    await page.goto(`${server.appOrigin}/`);
    await expect(page.getByRole('heading', { name: "You're not signed in" })).toBeVisible();
    expect(await apiStatus(page, 'user/logout-all')).toBe(404);
    expect(await webSocketOpens(page, `ws://${APP_HOST}:${server.port}/auth/ws/authenticate`)).toBe(false);
    // The same page may open the auth host's.
    expect(await webSocketOpens(page, `ws://${authAuthority}/auth/ws/authenticate`)).toBe(true);
  });

  await test.step('a page on a host outside --origin cannot open the ceremony WebSocket', async () => {
    await page.goto(`http://${STRANGER_HOST}:${server.port}/`);
    await expect(page.getByTestId('signin-button')).toBeVisible();
    expect(await webSocketOpens(page, `ws://${authAuthority}/auth/ws/authenticate`)).toBe(false);
    await page.getByTestId('signin-button').click();
    await expect(page.getByTestId('signin-error')).toBeVisible();
    // Its POSTs carry an Origin that is not allowed: refused before any session is looked at.
    expect(await apiStatus(page, 'validate')).toBe(403);
  });
});
