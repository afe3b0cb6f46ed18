/**
 * An admin list whose load fails says so, with "Try again", in place of what it showed before:
 * a list from before the failure no longer answers what was asked (another page, another search,
 * or the list after a change), so it is not left on screen as if it were current.
 */
import type { Route } from '@playwright/test';
import { expect, test } from './support/fixtures.js';

/** Answers the matched list calls with a 500 while `failing.now` is true. */
function failWhile(failing: { now: boolean }) {
  return (route: Route) =>
    failing.now ? route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ detail: 'The list is unavailable' }) }) : route.continue();
}

test('a failed list load shows its error with Try again, also in place of an older list', async ({ server, page, authenticator }) => {
  const adminUrl = `${server.authOrigin}/auth/admin/`;
  await page.goto(server.bootstrapLink);
  await page.getByTestId('register-button').click();
  await expect(page.getByTestId('account-name')).toHaveText('Admin');
  expect(await authenticator.credentials()).toHaveLength(1);
  const failing = { now: true };
  const alert = page.getByRole('alert');

  await test.step('the first load of People fails, and Try again loads it', async () => {
    await page.route(/\/auth\/api\/admin\/users\?/, failWhile(failing));
    await page.goto(`${adminUrl}#/people`);
    await expect(alert).toHaveText('The list is unavailable Try again');
    failing.now = false;
    await alert.getByRole('button', { name: 'Try again' }).click();
    await expect(page.getByTestId('people-count')).toHaveText('1 person');
    await expect(alert).toHaveCount(0);
  });

  await test.step('a permission is created, but the list after it fails: the error, not the old list', async () => {
    await page.route(/\/auth\/api\/admin\/permissions\?/, failWhile(failing));
    await page.getByTestId('admin-nav-permissions').click();
    await expect(page).toHaveURL(`${adminUrl}#/permissions`);
    const rows = page.getByTestId('permission-row');
    await expect(rows.first()).toBeVisible();
    const before = await rows.count();

    failing.now = true;
    await page.getByTestId('permission-scope').fill('reports:read');
    await page.getByTestId('permission-name').fill('Read the reports');
    await page.getByTestId('permission-submit').click();
    await expect(alert).toHaveText('The list is unavailable Try again');
    await expect(rows).toHaveCount(0);

    failing.now = false;
    await alert.getByRole('button', { name: 'Try again' }).click();
    await expect(rows).toHaveCount(before + 1);
    await expect(page.locator('[data-testid="permission-row"][data-scope="reports:read"]')).toContainText('Read the reports');
  });
});
