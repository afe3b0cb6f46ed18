/**
 * The role permission grid on a 390 px phone: instead of columns that do not fit, one block per
 * role with its permissions as checkboxes; a tick is saved and still there after a reload.
 */
import type { OrgDetail, PermissionInfo } from '../shared/admin.js';
import { expect, test } from './support/fixtures.js';
import { adminApi, sidewaysScroll } from './support/pages.js';

test.use({ viewport: { width: 390, height: 844 } });

test('on a phone, an administrator gives a role a permission in its block, and it sticks', async ({ server, page, authenticator }) => {
  await page.goto(server.bootstrapLink);
  await page.getByTestId('register-button').click();
  await expect(page.getByTestId('account-name')).toHaveText('Admin');
  expect(await authenticator.credentials()).toHaveLength(1);
  const me = await adminApi<{ org: { id: string } }>(page, 'GET', '/me');
  const permission = await adminApi<PermissionInfo>(page, 'POST', '/permissions', { scope: 'app:read', displayName: 'Read the app' });
  await adminApi(page, 'PUT', `/orgs/${me.org.id}/permissions/${permission.id}`);
  const member = (await adminApi<OrgDetail>(page, 'GET', `/orgs/${me.org.id}`)).roles.find((role) => role.displayName === 'Member')!;

  await page.goto(`${server.authOrigin}/auth/admin/#/orgs/${me.org.id}`);
  const blocks = page.getByTestId('role-permission-blocks');
  const toggle = page.locator('[data-testid="role-permission-toggle"][data-role="Member"][data-scope="app:read"]');
  await expect(blocks).toBeVisible();
  await expect(page.locator('table.grid')).toHaveCount(0);
  await expect(toggle).toHaveAccessibleName('Member: app:read');
  await expect(toggle).not.toBeChecked();
  expect(await sidewaysScroll(page), 'page scrolls sideways').toBeLessThanOrEqual(0);

  // A tap anywhere on the permission's line ticks it.
  const saved = page.waitForResponse((response) => response.request().method() === 'PUT' && response.url().endsWith(`/roles/${member.id}/permissions/${permission.id}`));
  await blocks.locator('label', { has: toggle }).getByText('Read the app').click();
  expect((await saved).status()).toBe(204);
  await expect(toggle).toBeChecked();

  await page.reload();
  await expect(toggle).toBeChecked();
  expect((await adminApi<OrgDetail>(page, 'GET', `/orgs/${me.org.id}`)).roles.find((role) => role.id === member.id)!.permissionIds).toEqual([permission.id]);

  // Turned to a wide screen, the same ticks stand in the grid.
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(page.locator('table.grid')).toBeVisible();
  await expect(blocks).toHaveCount(0);
  await expect(toggle).toBeChecked();
});
