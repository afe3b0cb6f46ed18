/**
 * Links people type: a mistyped or chat-mangled link lands on a page that offers the link it
 * most likely was (a link to click, never a jump), and the sign-in page has a place to type
 * a link's five words.
 */
import { expect, test } from './support/fixtures.js';
import { expectTitle } from './support/pages.js';

/** The words with one misspelt after its first four letters (which still tell it; the unit tests cover other typos). */
function misspell(words: string[]): string[] {
  const index = words.findIndex((word) => word.length >= 4);
  return words.map((word, i) => (i === index ? `${word.slice(0, 4)}q` : word));
}

/** The bootstrap link with a word misspelt, capitals and a trailing dot, as a chat leaves it. */
function mangle(link: string): string {
  const [base, token] = [link.slice(0, link.lastIndexOf('/') + 1), link.slice(link.lastIndexOf('/') + 1)];
  return `${base}${misspell(token.split('.')).map((word, i) => (i === 0 ? word.toUpperCase() : word)).join('.')}.`;
}

test('a mistyped link answers 404 with a page that offers the corrected link', async ({ server, page }) => {
  const response = await page.goto(mangle(server.bootstrapLink));
  expect(response?.status()).toBe(404);
  await expectTitle(page, 'Mistyped link');
  await expect(page.getByRole('heading', { name: 'This link looks mistyped' })).toBeVisible();
  const corrected = page.getByTestId('corrected-link');
  await expect(corrected).toHaveAttribute('href', new URL(server.bootstrapLink).pathname);
  await page.screenshot({ path: '/tmp/links-404-token.png', fullPage: true });

  // Nothing happens until the person clicks; then the link's own page says what it is.
  await corrected.click();
  await expect(page).toHaveURL(server.bootstrapLink);
  await expect(page.getByRole('heading', { name: "Set up the administrator's passkey" })).toBeVisible();
});

test('a link missing a word offers the words it has to complete', async ({ server, page }) => {
  const link = server.bootstrapLink;
  const words = link.slice(link.lastIndexOf('/') + 1).split('.');
  const response = await page.goto(`${link.slice(0, link.lastIndexOf('/') + 1)}${words.slice(0, 4).join('.')}`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'This link is incomplete' })).toBeVisible();
  await expectTitle(page, 'Incomplete link');
  const input = page.getByTestId('link-words-input');
  await expect(input).toHaveValue(words.slice(0, 4).join(' '));
  await input.fill(`${words.slice(0, 4).join(' ')} ${words[4]}`);
  await page.getByTestId('link-words-submit').click();
  await expect(page).toHaveURL(link);
});

test('an unknown address answers 404 with a page that leads to sign-in', async ({ server, page }) => {
  const response = await page.goto(`${server.authOrigin}/auth/no-such-page`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to sign-in' }).click();
  await expect(page.getByTestId('signin-button')).toBeVisible();
});

test('the sign-in page takes a link typed as five words', async ({ server, page }) => {
  const words = server.bootstrapLink.slice(server.bootstrapLink.lastIndexOf('/') + 1).split('.');
  await page.goto(`${server.authOrigin}/auth/`);
  await page.getByTestId('link-words-toggle').click();
  const input = page.getByTestId('link-words-input');

  await test.step('a misspelt word is offered corrected, as a link to click', async () => {
    await input.fill(misspell(words).join(' '));
    await page.getByTestId('link-words-submit').click();
    const suggestion = page.getByTestId('link-words-suggestion');
    await expect(suggestion).toContainText(words.join(' '));
    await expect(page).toHaveURL(`${server.authOrigin}/auth/`);
    await page.screenshot({ path: '/tmp/links-signin-words.png', fullPage: true });
  });

  await test.step('too few words say so', async () => {
    await input.fill(words.slice(0, 3).join(' '));
    await page.getByTestId('link-words-submit').click();
    await expect(page.getByTestId('link-words-error')).toContainText('A link has five words');
  });

  await test.step('words spelt right, in capitals with spaces, open the link', async () => {
    await input.fill(words.join(' ').toUpperCase());
    await page.getByTestId('link-words-submit').click();
    await expect(page).toHaveURL(server.bootstrapLink);
    await expect(page.getByRole('heading', { name: "Set up the administrator's passkey" })).toBeVisible();
  });
});

/** Registers the first administrator with the bootstrap link; the page ends on the account page. */
async function registerAdmin(page: import('@playwright/test').Page, bootstrapLink: string): Promise<void> {
  await page.goto(bootstrapLink);
  await page.getByTestId('register-button').click();
  await expect(page.getByTestId('account-name')).toBeVisible();
}

const linkWorks = (page: import('@playwright/test').Page, token: string) =>
  page.evaluate(async (body) => (await fetch('/auth/api/user-info', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status === 200, JSON.stringify({ token }));

test('a person sees their open device link, a new one replaces it, and revoking ends it', async ({ server, page, authenticator }) => {
  void authenticator; // the fixture adds the page's passkey store
  await registerAdmin(page, server.bootstrapLink);
  const tokenOf = async () => (await page.getByTestId('device-link-url').textContent())!.trim().split('/').pop()!;

  await page.getByTestId('add-device-button').click();
  const first = await tokenOf();
  await expect(page.getByText('The link works once and is valid for 1 hour.')).toBeVisible();
  await page.getByRole('button', { name: 'Done' }).click();
  await page.getByTestId('add-device-button').click();
  const second = await tokenOf();
  await expect(page.getByText('The link made before no longer works.')).toBeVisible();
  expect(await linkWorks(page, first)).toBe(false);
  expect(await linkWorks(page, second)).toBe(true);

  const open = page.getByTestId('open-link');
  await expect(open).toHaveCount(1);
  await expect(open.getByTestId('open-link-validity')).toHaveText('valid for 1 hour');
  await expect(open).not.toContainText(second);
  await page.screenshot({ path: '/tmp/links-device-open.png', fullPage: true });
  await open.getByTestId('open-link-revoke').click();
  await open.getByTestId('open-link-revoke-confirm').click();
  await expect(open).toHaveCount(0);
  expect(await linkWorks(page, second)).toBe(false);
});

test("an admin sees a user's open links with their validity, and revokes one", async ({ server, page, authenticator }) => {
  void authenticator; // the fixture adds the page's passkey store
  await registerAdmin(page, server.bootstrapLink);
  const me = await page.evaluate(async () => (await (await fetch('/auth/api/admin/me')).json()) as { user: { id: string } });
  await page.goto(`${server.authOrigin}/auth/admin/#/users/${me.user.id}`);
  await expect(page.getByText('valid for 7 days. A new link replaces the open one.')).toBeVisible();
  await page.getByTestId('create-link-button').click();
  const token = (await page.getByTestId('user-link-url').textContent())!.trim().split('/').pop()!;
  await expect(page.getByText('It works once and is valid for 7 days.')).toBeVisible();
  const open = page.getByTestId('open-link');
  await expect(open).toHaveCount(1);
  await expect(open).toContainText('Registration link');
  await expect(open.getByTestId('open-link-validity')).toHaveText('valid for 7 days');
  await page.screenshot({ path: '/tmp/links-admin-open.png', fullPage: true });
  await open.getByTestId('open-link-revoke').click();
  await open.getByTestId('open-link-revoke-confirm').click();
  await expect(open).toHaveCount(0);
  await expect(page.getByTestId('user-link-url')).toHaveCount(0);
  expect(await linkWorks(page, token)).toBe(false);
});
