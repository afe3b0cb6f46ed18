/**
 * The signing-keys panel on the admin Apps page: a master administrator sees the RS256 key that
 * exists from the first start, rotates it (confirming first), and sees the new key published
 * and waiting for the rotation delay while the old one keeps signing.
 */
import { expect, test } from './support/fixtures.js';
import { axeViolations } from './support/axe.js';

test.use({ serverOptions: { flags: ['--key-rotation-delay', '2h'] } });

test('a master administrator rotates the RS256 signing key', async ({ server, page, authenticator }) => {
  await page.goto(server.bootstrapLink);
  await page.getByTestId('register-button').click();
  await expect(page).toHaveURL(`${server.authOrigin}/auth/`);
  expect(await authenticator.credentials()).toHaveLength(1);
  await page.goto(`${server.authOrigin}/auth/admin/#/apps`);

  const key = (state: string) => page.locator(`[data-testid="signing-key"][data-alg="RS256"][data-state="${state}"]`);
  await expect(key('signing')).toHaveCount(1);
  await expect(page.getByTestId('signing-key')).toHaveCount(1);
  await expect(page.getByText('it begins to sign in 2 hours')).toBeVisible();

  await expect(page.getByTestId('rotate-key-RS256')).toHaveAccessibleName('Rotate RS256 key');
  await page.getByTestId('rotate-key-RS256').click();
  await expect(page.getByRole('group', { name: 'Rotate the RS256 key? The new key signs in 2 hours.' })).toBeVisible();
  await page.getByTestId('rotate-key-RS256-confirm').click();

  await expect(page.getByTestId('signing-key-rotated')).toContainText('A new RS256 key is published. It begins to sign in 2 hours.');
  await expect(key('next')).toHaveCount(1);
  await expect(key('next')).toContainText('Begins to sign in 2 hours');
  await expect(key('signing')).toContainText('Hands over in 2 hours');
  expect(await axeViolations(page)).toEqual([]);
  // The JWKS publishes both at once.
  const jwks = await page.evaluate(async () => (await (await fetch('/auth/oidc/jwks')).json()) as { keys: unknown[] });
  expect(jwks.keys).toHaveLength(2);

  await page.getByTestId('admin-nav-audit').click();
  await expect(page.getByTestId('audit-row').first()).toContainText('rotated the RS256 signing key for apps (OpenID Connect)');
});
