/**
 * What a browser downloads for the sign-in page: only the sign-in page's own code (the QR code
 * encoder stays in a chunk of its own, loaded when a link is made), every script and stylesheet
 * compressed at build time, within a budget.
 */
import type { Response } from '@playwright/test';
import { expect, test } from './support/fixtures.js';

/**
 * What the sign-in page's scripts and styles may cost on the wire, compressed: 46 KiB on
 * 2026-11-30 (docs/page-weights.md), with room for small additions but not for a library.
 */
const SIGN_IN_BUDGET = 55 * 1024;

test('the sign-in page loads only what it uses, compressed', async ({ server, page }) => {
  const assets: Response[] = [];
  page.on('response', (response) => {
    if (new URL(response.url()).pathname.startsWith('/auth/assets/')) assets.push(response);
  });
  await page.goto(`${server.authOrigin}/`);
  await expect(page.getByTestId('signin-button')).toBeVisible();
  await page.waitForLoadState('networkidle');

  const paths = assets.map((response) => new URL(response.url()).pathname);
  expect(paths.length).toBeGreaterThan(0);
  expect(paths.filter((path) => /\/qrcode-/.test(path))).toEqual([]);

  let transferred = 0;
  for (const response of assets) {
    const headers = await response.allHeaders();
    expect(headers['content-encoding'], response.url()).toMatch(/^(br|gzip)$/);
    expect(headers.vary, response.url()).toBe('Accept-Encoding');
    transferred += Number(headers['content-length']);
  }
  expect(transferred).toBeLessThanOrEqual(SIGN_IN_BUDGET);
});

test('the account page loads the QR code encoder when a link is made', async ({ server, page, authenticator }) => {
  const paths: string[] = [];
  page.on('request', (request) => paths.push(new URL(request.url()).pathname));
  await page.goto(server.bootstrapLink);
  await page.getByTestId('register-button').click();
  await expect(page.getByTestId('session-item')).toHaveCount(1);
  expect(await authenticator.credentials()).toHaveLength(1);
  expect(paths.some((path) => /\/assets\/qrcode-/.test(path))).toBe(false);

  await page.getByTestId('add-device-button').click();
  await expect(page.getByTestId('device-link-qr')).toHaveAttribute('src', /^data:image\/png;base64,/);
  expect(paths.some((path) => /\/assets\/qrcode-/.test(path))).toBe(true);
});
