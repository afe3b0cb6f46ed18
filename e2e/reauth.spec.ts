/**
 * Forward auth with max_age, seen by a browser: a signed-in visitor whose passkey use is too
 * old gets "Confirm it's you" in place of the page, uses the passkey again, and gets the page.
 */
import { expect, test } from './support/fixtures.js';
import { expectTitle } from './support/pages.js';

test('a stale sign-in is asked to confirm with the passkey, then let through', async ({ server, page, authenticator }) => {
  void authenticator;
  await page.goto(server.bootstrapLink);
  await page.getByTestId('register-button').click();
  await expect(page.getByTestId('account-name')).toHaveText('Admin');

  // The protected page here is forward auth itself, opened as a browser would reach it through a proxy.
  const protectedUrl = `${server.authOrigin}/auth/api/forward?max_age=2s`;
  await page.waitForTimeout(2500);
  const stale = await page.goto(protectedUrl);
  expect(stale?.status()).toBe(401);
  await expect(page.getByRole('heading', { name: "Confirm it's you" })).toBeVisible();
  await expectTitle(page, "Confirm it's you");
  await expect(page.getByTestId('account-name')).toHaveText('Admin');

  const reloaded = page.waitForResponse((response) => response.url() === protectedUrl && response.status() === 204);
  await page.getByTestId('signin-button').click();
  await reloaded;
});
