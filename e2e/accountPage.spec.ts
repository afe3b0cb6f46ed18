/**
 * What a signed-in person finds on their account page (the apps they can open and their
 * permissions), and how a registration link words itself: a welcome for a first passkey, adding
 * or replacing one for someone who has passkeys.
 */
import { expect, test } from './support/fixtures.js';
import { APP_HOST, DEDICATED_RP_ID } from './support/hosts.js';
import { apiJson, expectTitle } from './support/pages.js';

test.use({ serverMode: 'dedicated' });

const WIKI_HOST = `wiki.${DEDICATED_RP_ID}`;

test('the account page links the apps: hosts a permission counts on, and hosts signed in on', async ({ server, page, authenticator }) => {
  const accountUrl = `${server.authOrigin}/`;
  await page.goto(server.bootstrapLink);
  await page.getByTestId('register-button').click();
  await expect(page).toHaveURL(accountUrl);
  expect(await authenticator.credentials()).toHaveLength(1);
  await expectTitle(page, 'Your account');
  await expect(page.getByTestId('apps-empty')).toBeVisible();

  // Two permissions bound to one host each, given to the administrator's own role.
  const { org, role } = (await apiJson(page, 'POST', 'user-info', {})).body;
  for (const [scope, displayName, domain] of [
    ['reports:read', 'Read the reports', APP_HOST],
    ['wiki:edit', 'Edit the wiki', WIKI_HOST],
  ]) {
    const permission = await apiJson(page, 'POST', 'admin/permissions', { scope, displayName, domain });
    expect(permission.status).toBe(201);
    expect((await apiJson(page, 'PUT', `admin/orgs/${org.id}/permissions/${permission.body.id}`)).status).toBe(204);
    expect((await apiJson(page, 'PUT', `admin/roles/${role.id}/permissions/${permission.body.id}`)).status).toBe(204);
  }
  await page.reload();

  const apps = page.getByTestId('app-item');
  await expect(apps).toHaveCount(2);
  // The app host opens at its allowed origin (scheme and port); a host no origin names, over https.
  await expect(apps.nth(0).getByRole('link', { name: APP_HOST })).toHaveAttribute('href', `${server.appOrigin}/`);
  await expect(apps.nth(0).getByTestId('app-permissions')).toHaveText('Permissions for this app only: Read the reports');
  await expect(apps.nth(1).getByRole('link', { name: WIKI_HOST })).toHaveAttribute('href', `https://${WIKI_HOST}/`);
  await expect(apps.nth(1).getByTestId('app-permissions')).toHaveText('Permissions for this app only: Edit the wiki');
  await expect(apps.getByText('Signed in')).toHaveCount(0);

  const permissions = page.getByTestId('permission-item');
  await expect(permissions.filter({ hasText: 'Master administrator' }).getByTestId('permission-where')).toHaveText('On every app');
  await expect(permissions.filter({ hasText: 'Read the reports' }).getByTestId('permission-where')).toHaveText(`On ${APP_HOST} only`);

  // Signed in on the app host, through its link: the app's summary names this host's permissions only.
  await apps.nth(0).getByRole('link', { name: APP_HOST }).click();
  await expect(page).toHaveURL(`${server.appOrigin}/`);
  await page.getByTestId('signin-button').click();
  await expect(page.getByTestId('signout-button')).toBeVisible();
  await expectTitle(page, 'Your account');
  await expect(page.getByTestId('host-permissions')).toContainText('reports:read');
  await expect(page.getByTestId('host-permissions')).not.toContainText('wiki:edit');

  await page.goto(accountUrl);
  await expect(apps.nth(0).getByText('Signed in')).toBeVisible();
  await expect(apps.nth(1).getByText('Signed in')).toHaveCount(0);
});

test('a link words a first passkey as a welcome, and a later one as adding or replacing one', async ({ server, page, authenticator, newDevice }) => {
  await page.goto(server.bootstrapLink);
  await expectTitle(page, "Set up the administrator's passkey");
  await page.getByTestId('register-button').click();
  await expect(page.getByTestId('account-name')).toHaveText('Admin');
  expect(await authenticator.credentials()).toHaveLength(1);

  const { org, role } = (await apiJson(page, 'POST', 'user-info', {})).body;
  const newcomer = (await apiJson(page, 'POST', 'admin/users', { displayName: 'Grace', orgId: org.id, roleId: role.id })).body;
  const linkFor = async () => (await apiJson(page, 'POST', `admin/users/${newcomer.id}/link`)).body.url as string;

  const phone = await newDevice();
  await phone.page.goto(await linkFor());
  await expect(phone.page.getByRole('heading', { level: 1 })).toHaveText('Welcome, Grace');
  await expect(phone.page.getByText('Register your passkey: it is how you sign in here')).toBeVisible();
  await expectTitle(phone.page, 'Register your passkey');
  await phone.page.getByRole('button', { name: 'Register your passkey' }).click();
  await expect(phone.page.getByTestId('account-name')).toHaveText('Grace');

  // Grace lost that phone: the administrator's next link is for a new passkey, not a welcome.
  const laptop = await newDevice();
  await laptop.page.goto(await linkFor());
  await expect(laptop.page.getByRole('heading', { level: 1 })).toHaveText('Register a new passkey for Grace');
  await expect(laptop.page.getByText('in place of a lost passkey')).toBeVisible();
  await expect(laptop.page.getByTestId('welcome')).toHaveCount(0);
  await expectTitle(laptop.page, 'Register a new passkey');
  await laptop.page.getByTestId('register-button').click();
  await expect(laptop.page.getByTestId('account-name')).toHaveText('Grace');
  await expect(laptop.page.getByTestId('passkey-item')).toHaveCount(2);
});
