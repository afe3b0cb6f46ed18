/**
 * The restricted page's `?return=` after signing in (spa/src/returnTarget.ts): back to a page of
 * this origin, never to another host, however the target is disguised for the browser.
 */
import { expect, test } from './support/fixtures.js';

test('signing in on the restricted page returns only to this origin', async ({ server, page, authenticator }) => {
  await page.goto(server.bootstrapLink);
  await page.getByTestId('register-button').click();
  await expect(page.getByTestId('account-name')).toHaveText('Admin');
  expect(await authenticator.credentials()).toHaveLength(1);

  /** Signs in again on the restricted page; resolves once the page has gone wherever it goes next. */
  const signInAgain = async (returnValue: string) => {
    await page.goto(`${server.authOrigin}/auth/restricted?return=${encodeURIComponent(returnValue)}`);
    const navigated = page.waitForEvent('framenavigated', (frame) => frame === page.mainFrame());
    await page.getByTestId('switch-account-button').click();
    await navigated;
  };

  await test.step('a tab the browser would drop (/<TAB>/evil.example) leaves the page where it is', async () => {
    await signInAgain('/\t/evil.example');
    expect(new URL(page.url()).origin).toBe(server.authOrigin);
    expect(new URL(page.url()).pathname).toBe('/auth/restricted');
    await expect(page.getByTestId('switch-account-button')).toBeVisible();
  });

  await test.step('a path of this origin is followed', async () => {
    await signInAgain('/auth/');
    await expect(page).toHaveURL(`${server.authOrigin}/auth/`);
    await expect(page.getByTestId('account-name')).toHaveText('Admin');
  });
});
