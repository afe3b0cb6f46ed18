/**
 * The People page: the first administrator finds anyone in any organisation by a part of their
 * name, email or username, keeps the search in the address, and opens a person's page.
 */
import type { OrgSummary, UserSummary } from '../shared/admin.js';
import { expect, test } from './support/fixtures.js';
import { adminApi } from './support/pages.js';

test('the administrator searches everyone and opens a person', async ({ server, page, authenticator }) => {
  const adminUrl = `${server.authOrigin}/auth/admin/`;
  const rows = page.getByTestId('user-row');
  const search = page.getByTestId('people-search');
  let zoe = '';
  let northwind = '';

  await test.step('two organisations with people in them', async () => {
    await page.goto(server.bootstrapLink);
    await page.getByTestId('register-button').click();
    await expect(page.getByTestId('account-name')).toHaveText('Admin');
    expect(await authenticator.credentials()).toHaveLength(1);
    const me = await adminApi<{ org: { id: string } }>(page, 'GET', '/me');
    northwind = (await adminApi<OrgSummary>(page, 'POST', '/orgs', { displayName: 'Northwind' })).id;
    zoe = (await adminApi<UserSummary>(page, 'POST', '/users', { displayName: 'Zoë Ångström', orgId: northwind, email: 'zoe@northwind.example', username: 'zoe.a' })).id;
    await adminApi(page, 'POST', '/users', { displayName: 'Grace Hopper', orgId: me.org.id, email: 'grace@navy.example' });
  });

  await test.step('the People tab lists everyone with their organisation', async () => {
    await page.goto(adminUrl);
    await page.getByTestId('admin-nav-people').click();
    await expect(page).toHaveURL(`${adminUrl}#/people`);
    await expect(page.getByRole('heading', { name: 'People', level: 1 })).toBeVisible();
    await expect(page.getByTestId('admin-nav-people')).toHaveAttribute('aria-current', 'page');
    await expect(rows).toHaveCount(3);
    await expect(page.getByTestId('people-count')).toHaveText('3 people');
    const zoeRow = rows.filter({ hasText: 'Zoë Ångström' });
    await expect(zoeRow.getByTestId('user-org')).toHaveText('Northwind');
    await expect(zoeRow.getByTestId('user-org')).toHaveAttribute('href', `#/orgs/${northwind}`);
    await expect(zoeRow.getByTestId('user-contact')).toHaveText('Email zoe@northwind.example · Username zoe.a');
  });

  await test.step('a search by email, ignoring case, is kept in the address across a reload', async () => {
    await search.fill('NORTHWIND.example');
    await expect(page).toHaveURL(`${adminUrl}#/people?q=NORTHWIND.example`);
    await expect(rows).toHaveCount(1);
    await expect(rows).toContainText('Zoë Ångström');
    await expect(page.getByTestId('people-count')).toHaveText('1 person matches “\u2068NORTHWIND.example\u2069”');
    await page.reload();
    await expect(search).toHaveValue('NORTHWIND.example');
    await expect(rows).toHaveCount(1);
  });

  await test.step('no match says where the search looks, and shows everyone again', async () => {
    await search.fill('nobody here');
    await expect(page.getByTestId('people-empty')).toContainText('No one matches “nobody here”');
    await expect(page.getByTestId('people-empty')).toContainText('names, email addresses and usernames');
    await page.getByTestId('people-clear').click();
    await expect(page).toHaveURL(`${adminUrl}#/people`);
    await expect(search).toHaveValue('');
    await expect(rows).toHaveCount(3);
  });

  await test.step('a search without accents finds the person, whose page opens from the row', async () => {
    await search.fill('angstrom');
    await expect(rows).toHaveCount(1);
    await rows.getByRole('cell', { name: 'Never' }).click();
    await expect(page).toHaveURL(`${adminUrl}#/users/${zoe}`);
    await expect(page.getByRole('heading', { name: 'Zoë Ångström', level: 1 })).toBeVisible();
  });

  await test.step('back returns to the search, not to each letter typed', async () => {
    await page.goBack();
    await expect(page).toHaveURL(`${adminUrl}#/people?q=angstrom`);
    await expect(search).toHaveValue('angstrom');
    await expect(rows).toHaveCount(1);
    // The search typed before "Show everyone", whole.
    await page.goBack();
    await expect(page).toHaveURL(`${adminUrl}#/people?q=nobody+here`);
    await expect(search).toHaveValue('nobody here');
    await expect(page.getByTestId('people-empty')).toBeVisible();
  });
});
