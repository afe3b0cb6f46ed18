/**
 * A screenshot pass over every view, light and dark, on a desktop and a 375×740 phone screen,
 * saved to e2e/screenshots/<view>.<variant>.png for a person to look at (not compared to
 * references). Each shot also checks what a person would notice at once: a tab title naming
 * what the page shows, no horizontal scrolling, no script errors, and no accessibility
 * violation axe can find (contrast, names, landmarks) in that theme and width.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures.js';
import { axeViolations } from './support/axe.js';
import { focusRingContrast } from './support/focusRing.js';
import { APP_HOST } from './support/hosts.js';
import { apiJson, expectTitle, items, sidewaysScroll } from './support/pages.js';

const DIR = 'e2e/screenshots';

const VARIANTS = [
  { name: 'light', colorScheme: 'light', viewport: { width: 1280, height: 800 } },
  { name: 'dark', colorScheme: 'dark', viewport: { width: 1280, height: 800 } },
  { name: 'phone-light', colorScheme: 'light', viewport: { width: 375, height: 740 } },
  { name: 'phone-dark', colorScheme: 'dark', viewport: { width: 375, height: 740 } },
] as const;

/** Script errors and console errors, except the browser's own log line for an expected 401. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(`${page.url()}: ${message.text()}`);
  });
  return errors;
}

for (const variant of VARIANTS) {
  test.describe(variant.name, () => {
    test.use({ serverMode: 'dedicated', colorScheme: variant.colorScheme, viewport: variant.viewport });

    test(`every view, ${variant.name}`, async ({ server, page, authenticator, newDevice }) => {
      // Twenty-nine pages, each shot and checked by axe, on a machine shared with other work.
      test.setTimeout(290_000);
      mkdirSync(DIR, { recursive: true });
      /** Shoots and checks `target`, whose title starts with `title` (then `section`, in the admin pages). */
      const shoot = async (target: Page, view: string, title: string, section?: string) => {
        await expectTitle(target, title, section);
        // Fonts and images loaded; then one frame so that transitions have started from their end state.
        await target.evaluate(() => (globalThis as unknown as { document: { fonts: { ready: Promise<unknown> } } }).document.fonts.ready);
        await target.screenshot({ path: `${DIR}/${view}.${variant.name}.png`, fullPage: true, animations: 'disabled' });
        const overflow = await sidewaysScroll(target);
        expect.soft(overflow, `${view}: page scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
        expect.soft(await axeViolations(target), `${view}: accessibility violations`).toEqual([]);
      };
      const errors = watchErrors(page);

      await page.goto(server.bootstrapLink);
      await expect(page.getByTestId('register-button')).toBeVisible();
      await shoot(page, 'reset-link', "Set up the administrator's passkey");

      await page.getByTestId('register-button').click();
      await expect(page.getByTestId('account-name')).toHaveText('Admin');
      await expect(page.getByTestId('session-item')).toHaveCount(1);
      expect(await authenticator.credentials()).toHaveLength(1);
      // An app: a permission that counts on the app host, given to the administrator's role.
      const { org, role } = (await apiJson(page, 'POST', 'user-info', {})).body;
      const reports = (await apiJson(page, 'POST', 'admin/permissions', { scope: 'reports:read', displayName: 'Read the reports', domain: APP_HOST })).body;
      await apiJson(page, 'PUT', `admin/orgs/${org.id}/permissions/${reports.id}`);
      await apiJson(page, 'PUT', `admin/roles/${role.id}/permissions/${reports.id}`);
      await page.reload();
      await expect(page.getByTestId('app-item')).toHaveCount(1);
      // The only passkey: its Delete is off, and says why.
      await expect(page.getByTestId('passkey-delete-reason')).toBeVisible();
      await shoot(page, 'account', 'Your account');

      await page.getByTestId('signout-all-button').click();
      await expect(page.getByTestId('signout-all-button-confirm')).toBeFocused();
      await shoot(page, 'account-signout-all', 'Your account');
      await page.keyboard.press('Escape');

      await page.getByTestId('add-device-button').click();
      await expect(page.getByTestId('device-link-qr')).toBeVisible();
      await shoot(page, 'account-device-link', 'Your account');

      await page.getByTestId('display-name-edit').click();
      await expect(page.getByTestId('display-name-input')).toBeFocused();
      await shoot(page, 'account-name-edit', 'Your account');

      // A second passkey and session make the lists, with an inline confirmation open.
      const second = await newDevice();
      await second.page.goto((await page.getByTestId('device-link-url').textContent())!.trim());
      await second.page.getByTestId('register-button').click();
      await expect(second.page.getByTestId('account-name')).toHaveText('Admin');
      await page.reload();
      await expect(page.getByTestId('passkey-item')).toHaveCount(2);
      // A screen reader hears which passkey each Delete button deletes.
      const otherPasskey = items(page, 'passkey-item', false);
      const otherName = (await otherPasskey.getByTestId('passkey-name').textContent())!.trim();
      await expect(otherPasskey.getByTestId('passkey-delete')).toHaveAccessibleName(`Delete passkey \u2068${otherName}\u2069`);
      await otherPasskey.getByTestId('passkey-delete').click();
      await expect(page.getByTestId('passkey-delete-confirm')).toBeVisible();
      await shoot(page, 'account-two-devices', 'Your account');

      // The two passkeys have different names, and one is renamed in place.
      await page.keyboard.press('Escape');
      const ownPasskey = items(page, 'passkey-item', true);
      await expect(ownPasskey.getByTestId('passkey-name')).not.toHaveText(otherName);
      await ownPasskey.getByTestId('passkey-edit').click();
      await expect(ownPasskey.getByTestId('passkey-input')).toBeFocused();
      await shoot(page, 'account-passkey-rename', 'Your account');
      await ownPasskey.getByTestId('passkey-input').fill('Work laptop');
      await ownPasskey.getByTestId('passkey-save').click();
      await expect(items(page, 'session-item', true).getByTestId('session-passkey')).toHaveText('Signed in with Work laptop');

      await page.goto(`${server.authOrigin}/auth/admin/`);
      await expect(page.getByTestId('org-item')).toHaveCount(1);
      await shoot(page, 'admin-orgs', 'Organisations', 'Administration');
      await page.getByTestId('org-item').click();
      await expect(page.getByTestId('user-row')).toHaveCount(1);
      await shoot(page, 'admin-org', org.displayName, 'Administration');
      await page.getByTestId('user-row').click();
      await expect(page.getByRole('heading', { name: 'Admin', level: 1 })).toBeVisible();
      await shoot(page, 'admin-user', 'Admin', 'Administration');
      await page.getByTestId('admin-nav-people').click();
      await expect(page.getByTestId('user-row')).toHaveCount(1);
      await shoot(page, 'admin-people', 'People', 'Administration');
      await page.getByTestId('people-search').fill('nobody by this name');
      await expect(page.getByTestId('people-empty')).toBeVisible();
      await shoot(page, 'admin-people-none', '“\u2068nobody by this name\u2069” · People', 'Administration');
      await page.getByTestId('admin-nav-permissions').click();
      await expect(page.getByTestId('permission-scope')).toBeVisible();
      await shoot(page, 'admin-permissions', 'Permissions', 'Administration');
      await page.getByTestId('admin-nav-apps').click();
      await page.getByTestId('new-app-name').fill('Grafana');
      await page.getByTestId('new-app-client-id').fill('grafana');
      await page.getByTestId('new-app-redirect-uris').fill('https://grafana.example.com/login/generic_oauth');
      await page.getByTestId('new-app-submit').click();
      await expect(page.getByTestId('client-secret')).toBeVisible();
      await shoot(page, 'admin-apps', 'Apps', 'Administration');
      await page.getByTestId('app-created-link').click();
      await expect(page.getByTestId('app-settings-block')).toContainText('Client ID:              grafana');
      await shoot(page, 'admin-app', 'Grafana', 'Administration');
      await page.getByTestId('admin-nav-audit').click();
      await expect(page.getByTestId('audit-row').first()).toBeVisible();
      await shoot(page, 'admin-audit', 'Audit log', 'Administration');

      await page.goto(`${server.authOrigin}/auth/restricted`);
      await expect(page.getByTestId('account-name')).toBeVisible();
      await shoot(page, 'restricted-signed-in', "You don't have access");

      await page.goto(`${server.appOrigin}/`);
      await expect(page.getByTestId('signin-button')).toBeVisible();
      await shoot(page, 'summary-signed-out', 'Sign in');

      await page.getByTestId('signin-button').click();
      await expect(page.getByTestId('signout-button')).toBeVisible();
      await shoot(page, 'summary-signed-in', 'Your account');

      // A visitor without a passkey: a device that has never signed in here.
      const visitor = await newDevice();
      errors.push(...watchErrors(visitor.page));
      await visitor.page.goto(`${server.authOrigin}/`);
      await expect(visitor.page.getByTestId('signin-button')).toBeVisible();
      await shoot(visitor.page, 'sign-in', 'Sign in');
      expect(await focusRingContrast(visitor.page.getByTestId('signin-button')), 'focus ring contrast').toBeGreaterThanOrEqual(3);

      await visitor.page.goto(`${server.authOrigin}/restricted`);
      await expect(visitor.page.getByTestId('signin-button')).toBeVisible();
      await shoot(visitor.page, 'restricted-signed-out', "You don't have access");

      await visitor.page.goto(`${server.authOrigin}/auth/admin/`);
      await expect(visitor.page.getByTestId('signin-button')).toBeVisible();
      await shoot(visitor.page, 'admin-signed-out', 'Sign in', 'Administration');

      await visitor.page.goto(server.bootstrapLink);
      await expect(visitor.page.getByRole('heading', { name: 'This link has expired or was already used' })).toBeVisible();
      await shoot(visitor.page, 'link-expired', 'Link expired or used');

      await visitor.page.goto(`${server.authOrigin}/no-such-page`);
      await expect(visitor.page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
      await shoot(visitor.page, 'not-found', 'Page not found');

      // A new person, Grace, in a role without administrator rights: her first link is a welcome…
      await page.goto(`${server.authOrigin}/`);
      await expect(page.getByTestId('account-name')).toHaveText('Admin');
      const member = (await apiJson(page, 'POST', `admin/orgs/${org.id}/roles`, { displayName: 'Member' })).body;
      const grace = (await apiJson(page, 'POST', 'admin/users', { displayName: 'Grace', orgId: org.id, roleId: member.id })).body;
      const linkForGrace = async () => (await apiJson(page, 'POST', `admin/users/${grace.id}/link`)).body.url as string;
      await visitor.page.goto(await linkForGrace());
      await expect(visitor.page.getByTestId('welcome')).toBeVisible();
      await shoot(visitor.page, 'reset-link-first', 'Register your passkey');
      await visitor.page.getByTestId('register-button').click();
      await expect(visitor.page.getByTestId('account-name')).toHaveText('Grace');
      await expect(visitor.page.getByTestId('apps-empty')).toBeVisible();
      await shoot(visitor.page, 'account-member', 'Your account');

      // …her next one adds a passkey, or replaces a lost one; on a device that has one, it says so.
      await visitor.page.goto(await linkForGrace());
      await expect(visitor.page.getByRole('heading', { name: 'Register a new passkey for Grace' })).toBeVisible();
      await shoot(visitor.page, 'reset-link-another', 'Register a new passkey');
      await visitor.page.getByTestId('register-button').click();
      await expect(visitor.page.getByRole('link', { name: 'Sign in with it instead' })).toBeVisible();
      await shoot(visitor.page, 'reset-link-already-registered', 'Register a new passkey');

      await visitor.page.goto(`${server.authOrigin}/auth/admin/`);
      await expect(visitor.page.getByRole('heading', { name: 'You need administrator rights' })).toBeVisible();
      await shoot(visitor.page, 'admin-forbidden', 'You need administrator rights', 'Administration');

      expect(errors).toEqual([]);
    });
  });
}
