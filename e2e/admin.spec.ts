/**
 * The admin page, as the first administrator uses it to let someone into an app: a
 * permission, an organisation (which starts with a default role, so a user can be made at
 * once), the permission given from the user's page (it goes to their role) and a
 * registration link. The new user registers on their own device, and forward auth follows
 * the role's permissions from the next request on.
 */
import type { Page, Response } from '@playwright/test';
import { expect, test } from './support/fixtures.js';

const SCOPE = 'app:read';
const ORG = 'Example Ltd';
const ROLE = 'Member';
const USER = 'Ada Lovelace';

/** Waits for the admin API's answer to `method` on a path ending in `pathEnd`, while `action` runs. */
async function adminCall(page: Page, method: string, pathEnd: RegExp, action: () => Promise<void>): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse((candidate) => candidate.request().method() === method && candidate.url().includes('/auth/api/admin/') && pathEnd.test(new URL(candidate.url()).pathname)),
    action(),
  ]);
  return response;
}

/** What forward auth answers the page's own browser (its cookie included) for `perm`. */
function forwardStatus(page: Page, perm: string): Promise<number> {
  return page.evaluate(async (url) => (await fetch(url)).status, `/auth/api/forward?perm=${encodeURIComponent(perm)}`);
}

test('the administrator lets a new user into an app, then takes the permission away', async ({ server, page, authenticator, newDevice }) => {
  const accountUrl = `${server.authOrigin}/auth/`;
  const adminUrl = `${server.authOrigin}/auth/admin/`;
  const roleToggle = page.locator(`[data-testid="role-permission-toggle"][data-role="${ROLE}"][data-scope="${SCOPE}"]`);

  await test.step('the first administrator registers and opens the admin page', async () => {
    await page.goto(server.bootstrapLink);
    await page.getByTestId('register-button').click();
    await expect(page).toHaveURL(accountUrl);
    expect(await authenticator.credentials()).toHaveLength(1);
    await page.goto(adminUrl);
    await expect(page.getByRole('heading', { name: 'Organisations', level: 1 })).toBeVisible();
    await expect(page.getByTestId('org-item')).toHaveCount(1);
  });

  await test.step(`creates the permission ${SCOPE}`, async () => {
    await page.getByTestId('admin-nav-permissions').click();
    await expect(page).toHaveURL(`${adminUrl}#/permissions`);
    await page.getByTestId('permission-scope').fill('app read');
    await page.getByTestId('permission-name').fill('Read the app');
    await page.getByTestId('permission-submit').click();
    // Checked in the page, as the server would: nothing is sent.
    await expect(page.getByRole('alert')).toContainText('A scope holds only letters');
    await page.getByTestId('permission-scope').fill(SCOPE);
    const created = await adminCall(page, 'POST', /\/permissions$/, () => page.getByTestId('permission-submit').click());
    expect(created.status()).toBe(201);
    await expect(page.locator(`[data-testid="permission-row"][data-scope="${SCOPE}"]`)).toContainText('Read the app');
  });

  await test.step(`creates ${ORG}, which starts with the default role ${ROLE}`, async () => {
    await page.getByTestId('admin-nav-orgs').click();
    await page.getByTestId('new-org-name').fill(ORG);
    await page.getByTestId('new-org-submit').click();
    await expect(page).toHaveURL(new RegExp(`^${adminUrl}#/orgs/[0-9a-f-]{36}$`));
    await expect(page.getByRole('heading', { name: ORG, level: 1 })).toBeVisible();
    await expect(page.getByText('No users yet')).toBeVisible();
    await expect(page.locator(`[data-testid="role-item"][data-role="${ROLE}"]`).getByTestId('role-default')).toHaveText('Default');
    await expect(page.getByTestId('new-user-role').locator('option:checked')).toHaveText(`${ROLE} (default)`);
  });

  let link = '';
  await test.step(`creates ${USER} at once, gives her ${SCOPE} from her page, and makes a registration link`, async () => {
    await page.getByTestId('new-user-name').fill(USER);
    await page.getByTestId('new-user-submit').click();
    await expect(page).toHaveURL(new RegExp(`^${adminUrl}#/users/[0-9a-f-]{36}$`));
    await expect(page.getByRole('heading', { name: USER, level: 1 })).toBeVisible();
    await expect(page.getByTestId('user-role-select').locator('option:checked')).toHaveText(ROLE);
    await expect(page.getByTestId('user-permissions')).toHaveCount(0);

    // The organisation may not grant it yet: a master administrator's pick allows it too.
    await expect(page.getByTestId('give-permission-hint')).toContainText(`this goes to ${ROLE}.`);
    await page.getByTestId('give-permission-select').selectOption({ label: `${SCOPE} (Read the app)` });
    const given = await adminCall(page, 'PUT', /\/roles\/[0-9a-f-]+\/permissions\/[0-9a-f-]+$/, () => page.getByTestId('give-permission-submit').click());
    expect(given.status()).toBe(204);
    await expect(page.getByTestId('user-permissions')).toHaveText(SCOPE);

    await page.getByTestId('create-link-button').click();
    const url = page.getByTestId('user-link-url');
    await expect(url).toHaveText(new RegExp(`^${server.authOrigin}/auth/[a-z]+(\\.[a-z]+){4}$`));
    link = (await url.textContent())!.trim();
    const qr = page.getByTestId('user-link-qr');
    await expect(qr).toHaveAttribute('src', /^data:image\/png;base64,/);
    expect(await qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(100);
  });

  await test.step(`gives ${USER} an email the administrator vouches for, and a username`, async () => {
    await page.getByTestId('email-edit').click();
    await page.getByTestId('email-input').fill('Ada@Example.com');
    await page.getByTestId('email-save').click();
    await expect(page.getByTestId('email-name')).toHaveText('Ada@Example.com');
    await expect(page.getByTestId('email-verified')).not.toBeChecked();
    await page.getByTestId('email-verified').check();
    await expect(page.getByTestId('email-verified')).toBeChecked();
    await page.getByTestId('username-edit').click();
    await page.getByTestId('username-input').fill('Ada L');
    await page.getByTestId('username-save').click();
    await expect(page.getByRole('alert')).toContainText('a-z 0-9 . _ -');
    await page.getByTestId('username-input').fill('Ada.L');
    await page.getByTestId('username-save').click();
    await expect(page.getByTestId('username-name')).toHaveText('ada.l');
  });

  const phone = await newDevice();
  await test.step(`${USER} registers a passkey on her own device with the link`, async () => {
    await phone.page.goto(link);
    await expect(phone.page.getByTestId('welcome')).toHaveText(`Welcome, ${USER}`);
    await phone.page.getByTestId('register-button').click();
    await expect(phone.page).toHaveURL(accountUrl);
    await expect(phone.page.getByTestId('account-name')).toHaveText(USER);
    expect(await phone.authenticator.credentials()).toHaveLength(1);
  });

  await test.step(`${USER} sees her email as verified until she changes it herself`, async () => {
    await expect(phone.page.getByTestId('email-name')).toHaveText('Ada@Example.com');
    await expect(phone.page.getByTestId('email-verified')).toHaveText('Verified');
    await expect(phone.page.getByTestId('username-name')).toHaveText('ada.l');
    await phone.page.getByTestId('email-edit').click();
    await phone.page.getByTestId('email-input').fill('ada@lovelace.example');
    await phone.page.getByTestId('email-save').click();
    await expect(phone.page.getByTestId('email-name')).toHaveText('ada@lovelace.example');
    await expect(phone.page.getByTestId('email-verified')).toHaveText('Not verified');
  });

  await test.step(`forward auth lets ${USER} in for ${SCOPE}`, async () => {
    expect(await forwardStatus(phone.page, SCOPE)).toBe(204);
    expect(await forwardStatus(phone.page, 'app:write')).toBe(403);
  });

  await test.step(`${USER} is no administrator`, async () => {
    await phone.page.goto(adminUrl);
    await expect(phone.page.getByRole('heading', { name: 'You need administrator rights' })).toBeVisible();
  });

  await test.step(`the administrator sees her passkey, then takes ${SCOPE} from ${ROLE} in the grid`, async () => {
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: ORG }).click();
    const row = page.getByTestId('user-row').filter({ hasText: USER });
    await expect(row).toContainText(ROLE);
    await expect(row.locator('td').nth(2)).toHaveText('1');
    await expect(page.locator(`[data-testid="org-grant-toggle"][data-scope="${SCOPE}"]`)).toBeChecked();
    await expect(roleToggle).toBeChecked();
    const removed = await adminCall(page, 'DELETE', /\/roles\/[0-9a-f-]+\/permissions\/[0-9a-f-]+$/, () => roleToggle.uncheck());
    expect(removed.status()).toBe(204);
    await expect(roleToggle).not.toBeChecked();
  });

  await test.step(`forward auth refuses ${USER} from the next request on`, async () => {
    expect(await forwardStatus(phone.page, SCOPE)).toBe(403);
  });

  await test.step('the audit log shows what happened', async () => {
    await page.getByTestId('admin-nav-audit').click();
    await expect(page.getByTestId('audit-row').first()).toBeVisible();
    await expect(page.getByTestId('audit-row').filter({ hasText: `took the permission ${SCOPE} from role ${ROLE} in ${ORG}` })).toHaveCount(1);
    await expect(page.getByTestId('audit-row').filter({ hasText: `created a registration link for ${USER}` })).toHaveCount(1);
    await expect(page.getByTestId('audit-row').filter({ hasText: `added ${USER} in ${ORG}` }).getByRole('link', { name: USER })).toBeVisible();
    await page.screenshot({ path: '/tmp/auditbrand-audit.png', fullPage: true });
  });
});
