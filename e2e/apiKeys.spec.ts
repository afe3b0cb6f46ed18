/**
 * Organisation API keys in the admin UI: an admin makes a key on the organisation's page, sees it
 * once, a backend uses it (its last use shows), a browser cannot, and revoking it stops it.
 * Each state is shot light and dark at 1280 and 390 px into the test's output folder.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures.js';
import { axeViolations } from './support/axe.js';
import { sidewaysScroll } from './support/pages.js';

const VARIANTS = [
  { name: 'light', colorScheme: 'light', width: 1280 },
  { name: 'dark', colorScheme: 'dark', width: 1280 },
  { name: 'phone-light', colorScheme: 'light', width: 390 },
  { name: 'phone-dark', colorScheme: 'dark', width: 390 },
] as const;

/** Shoots the page in every variant, checking each for sideways scrolling and axe violations. */
async function shootAll(page: Page, name: string, outputPath: (file: string) => string): Promise<void> {
  for (const variant of VARIANTS) {
    await page.setViewportSize({ width: variant.width, height: 800 });
    await page.emulateMedia({ colorScheme: variant.colorScheme });
    await page.screenshot({ path: outputPath(`${name}.${variant.name}.png`), fullPage: true, animations: 'disabled' });
    expect.soft(await sidewaysScroll(page), `${name} ${variant.name} scrolls sideways`).toBeLessThanOrEqual(0);
    expect.soft(await axeViolations(page), `${name} ${variant.name}: accessibility violations`).toEqual([]);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** A backend's call with `key` (from Node: no cookie, no Origin), or with browser headers added. */
async function backendCall(origin: string, key: string, headers: Record<string, string> = {}): Promise<number> {
  const response = await fetch(`${origin}/auth/api/backend/validate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ token: 'not-a-session' }),
  });
  return response.status;
}

test('an admin makes, shows once and revokes an API key; backends use it, browsers cannot', async ({ server, page, authenticator }, testInfo) => {
  expect(await authenticator.credentials()).toHaveLength(0);
  test.setTimeout(120_000);
  await page.goto(server.bootstrapLink);
  await page.getByTestId('register-button').click();
  await expect(page.getByTestId('account-name')).toHaveText('Admin');

  await page.goto(`${server.authOrigin}/auth/admin/`);
  await page.getByTestId('org-item').click();
  await expect(page.getByRole('heading', { name: 'API keys' })).toBeVisible();
  await shootAll(page, 'api-keys-empty', (file) => testInfo.outputPath(file));

  await page.getByTestId('new-api-key-name').fill('Billing backend');
  await page.getByTestId('new-api-key-submit').click();
  const secret = (await page.getByTestId('client-secret').textContent())!.trim();
  expect(secret).toMatch(/^pak_/);
  await expect(page.getByTestId('api-key-item')).toHaveCount(1);
  await expect(page.getByTestId('api-key-item')).toContainText('never used');
  await shootAll(page, 'api-keys-created', (file) => testInfo.outputPath(file));

  // A backend's call works (404: no such session, but the key was accepted); from a browser it is refused.
  expect(await backendCall(server.authOrigin, secret)).toBe(404);
  expect(await backendCall(server.authOrigin, secret, { origin: server.authOrigin })).toBe(403);
  expect(await page.evaluate(async (key) => (await fetch('/auth/api/backend/validate', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: '{"token":"x"}' })).status, secret)).toBe(403);

  // Shown once: a reload lists the key, never its secret, and now its last use.
  await page.reload();
  await expect(page.getByTestId('client-secret')).toHaveCount(0);
  await expect(page.getByTestId('api-key-item')).toContainText('last used');
  expect(await page.content()).not.toContain(secret.slice(20));

  await page.getByTestId('api-key-revoke').click();
  await page.getByTestId('api-key-revoke-confirm').click();
  await expect(page.getByTestId('api-key-item')).toContainText('Revoked');
  await shootAll(page, 'api-keys-revoked', (file) => testInfo.outputPath(file));
  expect(await backendCall(server.authOrigin, secret)).toBe(401);
});
