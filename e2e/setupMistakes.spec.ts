/**
 * First-run mistakes say what is wrong: a page opened at an address the server does not allow,
 * on a host outside the RP ID, or over plain http away from localhost names what to use instead;
 * a sign-in whose cookie never comes back says so instead of showing the sign-in form again.
 */
import { expect, test } from './support/fixtures.js';
import { PLAIN_HTTP_HOST } from './support/hosts.js';

test('127.0.0.1 when the allowed origin is localhost: the page names both addresses', async ({ server, page, authenticator }) => {
  await page.goto(server.bootstrapLink);
  await page.getByTestId('register-button').click();
  await expect(page.getByTestId('account-name')).toHaveText('Admin');
  await expect.poll(async () => (await authenticator.credentials()).length).toBe(1);

  const wrongOrigin = server.authOrigin.replace('//localhost:', '//127.0.0.1:');
  await page.goto(`${wrongOrigin}/auth/`);
  // Said at once: the page's first API call is refused for its origin, and the page says why.
  await expect(page.getByText(`Could not check whether you are signed in. Sign-in is not allowed at ${wrongOrigin}.`)).toBeVisible();
  await page.getByTestId('signin-button').click();
  await expect(page.getByTestId('signin-error')).toHaveText(`Sign-in is not allowed at ${wrongOrigin}. Open ${server.authOrigin}/auth/ instead.`);
});

test.describe('a proxy port missing from --origin', () => {
  // The server allows only an origin nothing serves; the page is opened on its real port.
  test.use({ serverOptions: { origins: ['https://localhost:8443'] } });

  test('the page names the flag that would allow its address', async ({ server, page, authenticator }) => {
    void authenticator;
    const here = `http://localhost:${server.port}`;
    await page.goto(`${here}/auth/`);
    await page.getByTestId('signin-button').click();
    await expect(page.getByTestId('signin-error')).toHaveText(
      `Sign-in is not allowed at ${here}. Open https://localhost:8443/auth/ instead. To use this address, start Passkey Auth with --origin ${here}.`,
    );
  });
});

test.describe('a page outside the RP ID', () => {
  test.use({ serverOptions: { rpId: 'example.localhost' } });

  test('names the RP ID and the page host instead of a SecurityError', async ({ server, page, authenticator }) => {
    void authenticator;
    await page.goto(server.bootstrapLink);
    await page.getByTestId('register-button').click();
    await expect(page.getByRole('alert')).toContainText('This page is on localhost, but the passkeys of this service belong to example.localhost (its --rp-id).');
    // The flags alone show the mistake: the server said so at start.
    expect(server.output()).toContain(`WARNING: --origin http://localhost:${server.port} is not under the RP ID "example.localhost"`);
  });
});

test('plain http away from localhost: the page says passkeys need a secure connection', async ({ server, page }) => {
  const here = `http://${PLAIN_HTTP_HOST}:${server.port}`;
  await page.goto(`${here}/auth/`);
  await page.getByTestId('signin-button').click();
  await expect(page.getByTestId('signin-error')).toContainText(`Passkeys need a secure connection, and this page is open over plain http at ${here}.`);
});

test('a sign-in cookie that never comes back (a proxy dropping Set-Cookie) is explained', async ({ server, page, authenticator }) => {
  void authenticator;
  // What a proxy that drops Set-Cookie does: the answer reaches the page, the cookie does not.
  // (Sent from Node: Playwright's own fetch would store the cookie in the browser.)
  await page.route('**/auth/api/set-session', async (route) => {
    const request = route.request();
    const response = await fetch(request.url(), { method: 'POST', headers: await request.allHeaders() });
    const headers = Object.fromEntries([...response.headers].filter(([name]) => name !== 'set-cookie'));
    await route.fulfill({ status: response.status, headers, body: await response.text() });
  });
  await page.goto(server.bootstrapLink);
  await page.getByTestId('register-button').click();
  await expect(page.getByRole('alert')).toContainText('You signed in, but the sign-in cookie did not come back with the next request.');
});
