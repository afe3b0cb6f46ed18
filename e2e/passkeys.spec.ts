/**
 * One service under /auth/ on every host (no --auth-host), at http://localhost:PORT.
 * The administrator's whole first day: bootstrap link, sign-out and sign-in, a second device
 * added by link, then that device's session ended and its passkey deleted from the first.
 */
import { expect, test } from './support/fixtures.js';
import { apiJson, apiStatus, clickAndConfirm, items } from './support/pages.js';

test('the administrator registers, signs in again, adds a second device and removes it', async ({ server, page, authenticator, newDevice }) => {
  const accountUrl = `${server.authOrigin}/auth/`;

  await test.step('the bootstrap link registers the first passkey and signs in', async () => {
    expect(server.bootstrapLink).toMatch(new RegExp(`^${server.authOrigin}/auth/[a-z]+(\\.[a-z]+){4}$`));
    await page.goto(server.bootstrapLink);
    await expect(page.getByRole('heading', { name: "Set up the administrator's passkey" })).toBeVisible();
    await page.getByTestId('register-button').click();
    await expect(page).toHaveURL(accountUrl);
    await expect(page.getByTestId('account-name')).toHaveText('Admin');
    const credentials = await authenticator.credentials();
    expect(credentials).toHaveLength(1);
    expect(credentials[0]).toMatchObject({ rpId: 'localhost', isResidentCredential: true });
  });

  await test.step('the session cookie is HttpOnly and SameSite=Lax', async () => {
    const cookies = await page.context().cookies(server.authOrigin);
    const session = cookies.find((cookie) => cookie.name === 'passkey-auth');
    expect(session, `cookies: ${cookies.map((cookie) => cookie.name).join(', ')}`).toBeDefined();
    expect(session).toMatchObject({ domain: 'localhost', path: '/', httpOnly: true, sameSite: 'Lax', secure: false });
    expect(session!.expires).toBeGreaterThan(Date.now() / 1000 + 24 * 3600);
  });

  await test.step('the bootstrap link works only once', async () => {
    await page.goto(server.bootstrapLink);
    await expect(page.getByRole('heading', { name: 'This link has expired or was already used' })).toBeVisible();
    await expect(page.getByTestId('register-button')).toHaveCount(0);
  });

  await test.step('signing out shows the sign-in page and ends the session', async () => {
    await page.goto(accountUrl);
    await page.getByTestId('signout-button').click();
    await expect(page.getByTestId('signin-button')).toBeVisible();
    await expect(page.getByTestId('account-name')).toHaveCount(0);
    expect(await apiStatus(page, 'validate')).toBe(401);
  });

  await test.step('the passkey signs in again', async () => {
    await page.getByTestId('signin-button').click();
    await expect(page.getByTestId('account-name')).toHaveText('Admin');
    expect(await apiStatus(page, 'validate')).toBe(200);
    await expect(items(page, 'passkey-item')).toHaveCount(1);
    await expect(items(page, 'session-item')).toHaveCount(1);
  });

  let deviceLink = '';
  await test.step('"Add another device" shows a one-time link and its QR code', async () => {
    await page.getByTestId('add-device-button').click();
    const url = page.getByTestId('device-link-url');
    await expect(url).toHaveText(new RegExp(`^${server.authOrigin}/auth/[a-z]+(\\.[a-z]+){4}$`));
    deviceLink = (await url.textContent())!.trim();
    expect(deviceLink).not.toBe(server.bootstrapLink);
    const qr = page.getByTestId('device-link-qr');
    await expect(qr).toBeVisible();
    await expect(qr).toHaveAttribute('src', /^data:image\/png;base64,/);
    // A decoded image, not a broken one.
    expect(await qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(100);
  });

  const second = await newDevice();
  await test.step('a second device registers its own passkey with the link', async () => {
    await second.page.goto(deviceLink);
    await expect(second.page.getByRole('heading', { name: 'Add a passkey for Admin on this device' })).toBeVisible();
    await second.page.getByTestId('register-button').click();
    await expect(second.page).toHaveURL(accountUrl);
    await expect(second.page.getByTestId('account-name')).toHaveText('Admin');
    await expect(items(second.page, 'passkey-item')).toHaveCount(2);
    expect(await second.authenticator.credentials()).toHaveLength(1);
    // Each device holds only its own passkey.
    expect((await second.authenticator.credentials())[0]!.credentialId).not.toBe((await authenticator.credentials())[0]!.credentialId);
  });

  await test.step('the first device lists both passkeys and both sessions', async () => {
    await page.reload();
    await expect(items(page, 'passkey-item')).toHaveCount(2);
    await expect(items(page, 'passkey-item', true)).toHaveCount(1);
    // The virtual authenticators send an all-zero AAGUID: each passkey is named after the browser
    // that registered it, the second one numbered.
    await expect(items(page, 'passkey-item', true).getByTestId('passkey-name')).toHaveText('Chrome on Linux');
    await expect(items(page, 'passkey-item', false).getByTestId('passkey-name')).toHaveText('Chrome on Linux (2)');
    await expect(items(page, 'session-item')).toHaveCount(2);
    await expect(items(page, 'session-item', true)).toHaveCount(1);
    await expect(items(page, 'passkey-item', true)).toContainText("This session's passkey");
    await expect(items(page, 'session-item', true)).toContainText('This browser');
    // Only other sessions can be ended from here.
    await expect(items(page, 'session-item', true).getByTestId('session-end')).toHaveCount(0);
  });

  await test.step('a passkey is renamed in place, and a name another passkey has is refused', async () => {
    const mine = items(page, 'passkey-item', true);
    await mine.getByTestId('passkey-edit').click();
    await mine.getByTestId('passkey-input').fill('Chrome on Linux (2)');
    await mine.getByTestId('passkey-save').click();
    await expect(mine.getByRole('alert')).toHaveText('Another of your passkeys already has this name');
    await mine.getByTestId('passkey-input').fill('  Home laptop ');
    await mine.getByTestId('passkey-save').click();
    await expect(mine.getByTestId('passkey-name')).toHaveText('Home laptop');
    await page.reload();
    await expect(items(page, 'passkey-item', true).getByTestId('passkey-name')).toHaveText('Home laptop');
    // Each session names the passkey that signed it in, by its current name.
    await expect(items(page, 'session-item', true).getByTestId('session-passkey')).toHaveText('Signed in with Home laptop');
    await expect(items(page, 'session-item', false).getByTestId('session-passkey')).toHaveText('Signed in with Chrome on Linux (2)');
  });

  await test.step("ending the second device's session signs it out", async () => {
    await clickAndConfirm(items(page, 'session-item', false), 'session-end');
    await expect(items(page, 'session-item')).toHaveCount(1);
    await expect(items(page, 'session-item', true)).toHaveCount(1);
    expect(await apiStatus(second.page, 'validate')).toBe(401);
    expect(await apiStatus(page, 'validate')).toBe(200);
  });

  await test.step("deleting the second device's passkey leaves one", async () => {
    await clickAndConfirm(items(page, 'passkey-item', false), 'passkey-delete');
    await expect(items(page, 'passkey-item')).toHaveCount(1);
    await expect(items(page, 'passkey-item', true)).toHaveCount(1);
    await page.reload();
    await expect(items(page, 'passkey-item')).toHaveCount(1);
  });

  await test.step('the last passkey cannot be deleted: its button is off and says why, and the server refuses too', async () => {
    const last = items(page, 'passkey-item', true);
    await expect(last.getByTestId('passkey-delete')).toBeDisabled();
    await expect(last.getByTestId('passkey-delete-reason')).toHaveText('Your only passkey: add another before deleting it.');
    await expect(last.getByTestId('passkey-delete')).toHaveAccessibleDescription(/Your only passkey/);
    const id = (await apiJson(page, 'POST', 'user-info', {})).body.credentials[0].id;
    const refused = await apiJson(page, 'DELETE', `credential/${id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('only passkey');
    await page.reload();
    await expect(items(page, 'passkey-item')).toHaveCount(1);
  });

  await test.step('the deleted passkey no longer signs in on the second device', async () => {
    await second.page.goto(accountUrl);
    await second.page.getByTestId('signin-button').click();
    await expect(second.page.getByTestId('signin-error')).toContainText('not registered here');
    expect(await apiStatus(second.page, 'validate')).toBe(401);
  });

  await test.step('"Sign out everywhere" asks first, and once confirmed ends the last session too', async () => {
    await page.getByTestId('signout-all-button').click();
    await expect(page.getByRole('group', { name: 'Sign out on every device and app, this browser too?' })).toBeVisible();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByTestId('signout-all-button')).toBeFocused();
    expect(await apiStatus(page, 'validate')).toBe(200);
    await page.getByTestId('signout-all-button').click();
    await page.getByTestId('signout-all-button-confirm').click();
    await expect(page.getByTestId('signin-button')).toBeVisible();
    expect(await apiStatus(page, 'validate')).toBe(401);
  });
});

test('a renamed account keeps its new name after a reload', async ({ server, page, authenticator }) => {
  await page.goto(server.bootstrapLink);
  await page.getByTestId('register-button').click();
  await expect(page.getByTestId('account-name')).toHaveText('Admin');
  expect(await authenticator.credentials()).toHaveLength(1);

  await page.getByTestId('display-name-edit').click();
  await page.getByTestId('display-name-input').fill('  Ada Lovelace  ');
  await page.getByTestId('display-name-save').click();
  await expect(page.getByTestId('account-name')).toHaveText('Ada Lovelace');
  await page.reload();
  await expect(page.getByTestId('account-name')).toHaveText('Ada Lovelace');
});

test('a fresh sign-in page offers the saved passkey by autofill, but not right after signing out', async ({ server, page, authenticator }) => {
  const autofillField = page.locator('input[autocomplete="username webauthn"]');
  await page.goto(server.bootstrapLink);
  await page.getByTestId('register-button').click();
  await expect(page.getByTestId('account-name')).toHaveText('Admin');
  expect(await authenticator.credentials()).toHaveLength(1);

  // Signing out here: only the button, or the virtual authenticator would sign straight back in.
  await page.getByTestId('signout-button').click();
  await expect(page.getByTestId('signin-button')).toBeVisible();
  await expect(autofillField).toHaveCount(0);
  expect(await apiStatus(page, 'validate')).toBe(401);

  // A later visit: the browser offers the passkey in the field, and the virtual authenticator
  // (which accepts every prompt) picks it without a click.
  const authenticateSocket = page.waitForEvent('websocket', (socket) => socket.url().endsWith('/auth/ws/authenticate'));
  await page.reload();
  await authenticateSocket;
  await expect(page.getByTestId('account-name')).toHaveText('Admin');
  expect(await apiStatus(page, 'validate')).toBe(200);
});

test('a device link opened on a device that already has a passkey says so and stays usable', async ({ server, page, authenticator, newDevice }) => {
  await page.goto(server.bootstrapLink);
  await page.getByTestId('register-button').click();
  await expect(page.getByTestId('account-name')).toHaveText('Admin');
  await page.getByTestId('add-device-button').click();
  const deviceLink = (await page.getByTestId('device-link-url').textContent())!.trim();

  await page.goto(deviceLink);
  await page.getByTestId('register-button').click();
  await expect(page.getByTestId('register-error')).toContainText('already has a passkey');
  expect(await authenticator.credentials()).toHaveLength(1);
  // A link, not a button: it goes somewhere (the account page, signed in with that passkey).
  const signInInstead = page.getByRole('link', { name: 'Sign in with it instead' });
  await expect(signInInstead).toHaveAttribute('href', '/auth/');
  await signInInstead.click();
  await expect(page.getByTestId('account-name')).toHaveText('Admin');

  const second = await newDevice();
  await second.page.goto(deviceLink);
  await second.page.getByTestId('register-button').click();
  await expect(second.page.getByTestId('account-name')).toHaveText('Admin');
  await expect(items(second.page, 'passkey-item')).toHaveCount(2);
});
