/**
 * A branded service (`--service-name`, `--logo`, `--accent-color`): every page names it in its
 * header and title, shows the logo, and wears the accent, readable and axe-clean in both themes
 * at desktop and phone width. Screenshots go to e2e/screenshots/branded-<page>.<variant>.png.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures.js';
import { axeViolations } from './support/axe.js';
import { focusRingContrast } from './support/focusRing.js';
import { parseHexColor } from '../shared/colorContrast.js';
import { accentPalette } from '../server/ui/accentPalette.js';

const DIR = 'e2e/screenshots';
/** Markup, quotes and an ampersand: shown as written, never as markup. */
const NAME = `Tom & "Jerry's" <b>Sign-in</b>`;
const LOGO = 'https://brand.example.com/logo.svg';
/** A teal that reads on the light pages as it is, and needs a lighter shade on the dark ones. */
const ACCENT = '#0b7285';
const PALETTE = accentPalette(parseHexColor(ACCENT)!);
/** Wider than tall, as logos with a word mark are: the header must scale it down, not stretch it. */
const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="120" viewBox="0 0 240 120"><rect width="240" height="120" rx="24" fill="${ACCENT}"/><text x="120" y="78" font-size="56" text-anchor="middle" fill="#fff" font-family="sans-serif">T&amp;J</text></svg>`;

const VARIANTS = [
  { name: 'light', colorScheme: 'light', viewport: { width: 1280, height: 800 } },
  { name: 'dark', colorScheme: 'dark', viewport: { width: 1280, height: 800 } },
  { name: 'phone-light', colorScheme: 'light', viewport: { width: 390, height: 780 } },
  { name: 'phone-dark', colorScheme: 'dark', viewport: { width: 390, height: 780 } },
] as const;

/** `#rrggbb` as computed styles write it. */
function cssRgb(hex: string): string {
  const [r, g, b] = parseHexColor(hex)!;
  return `rgb(${r}, ${g}, ${b})`;
}

for (const variant of VARIANTS) {
  test.describe(variant.name, () => {
    test.use({
      colorScheme: variant.colorScheme,
      viewport: variant.viewport,
      serverOptions: { flags: ['--service-name', NAME, '--logo', LOGO, '--accent-color', ACCENT] },
    });

    test(`the name, logo and accent on every page, ${variant.name}`, async ({ server, page, authenticator }) => {
      void authenticator;
      mkdirSync(DIR, { recursive: true });
      const errors: string[] = [];
      // A logo the Content-Security-Policy refused would show up here ("Refused to load the image");
      // the browser's line for the signed-out page's expected 401 would too, and is left out.
      page.on('console', (message) => {
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(message.text());
      });
      await page.route(LOGO, (route) => route.fulfill({ contentType: 'image/svg+xml', body: LOGO_SVG }));
      const inkOnPage = variant.colorScheme === 'dark' ? PALETTE['accent-dark'] : PALETTE.accent;

      const checkFrame = async (target: Page, shot: string) => {
        await expect(target.getByTestId('service-name')).toHaveText(NAME);
        const logo = target.getByTestId('service-logo');
        await expect(logo).toHaveAttribute('alt', NAME);
        // Loaded, not refused by the page's Content-Security-Policy: the image's own width.
        const loadedWidth = () => logo.evaluate((element) => {
          const image = element as unknown as { complete: boolean; naturalWidth: number };
          return image.complete ? image.naturalWidth : 0;
        });
        await expect.poll(loadedWidth).toBe(240);
        const box = (await logo.boundingBox())!;
        expect(box.height).toBe(32);
        expect(box.width).toBe(64);
        await target.screenshot({ path: `${DIR}/branded-${shot}.${variant.name}.png`, fullPage: true, animations: 'disabled' });
        expect.soft(await axeViolations(target), `${shot}: accessibility violations`).toEqual([]);
      };

      await test.step('the sign-in page', async () => {
        await page.goto(`${server.authOrigin}/auth/`);
        // The page's words isolated (usePageTitle), then the service's name as written.
        await expect(page).toHaveTitle(`\u2068Sign in\u2069 · ${NAME}`);
        const signIn = page.getByTestId('signin-button');
        await expect(signIn).toHaveCSS('background-color', cssRgb(ACCENT));
        await expect(signIn).toHaveCSS('color', cssRgb(PALETTE['accent-text']));
        await checkFrame(page, 'sign-in');
        expect(await focusRingContrast(signIn), 'focus ring contrast').toBeGreaterThanOrEqual(3);
        await expect(signIn).toHaveCSS('outline-color', cssRgb(inkOnPage));
      });

      await test.step('the first administrator registers, and sees the account page', async () => {
        await page.goto(server.bootstrapLink);
        await expect.poll(() => page.title()).toMatch(/^\u2068[A-Z][^·]+\u2069 · /);
        expect((await page.title()).endsWith(` · ${NAME}`)).toBe(true);
        await page.getByTestId('register-button').click();
        await expect(page.getByTestId('account-name')).toHaveText('Admin');
        // A badge: the accent on its own tint.
        const badge = page.locator('.badge-accent').first();
        await expect(badge).toHaveCSS('color', cssRgb(inkOnPage));
        await checkFrame(page, 'account');
      });

      await test.step('the admin pages', async () => {
        await page.goto(`${server.authOrigin}/auth/admin/`);
        await expect(page.getByTestId('org-item')).toHaveCount(1);
        await expect(page).toHaveTitle(`\u2068Organisations\u2069 · Administration · ${NAME}`);
        await checkFrame(page, 'admin');
      });

      expect(errors).toEqual([]);
    });
  });
}
