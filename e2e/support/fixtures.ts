/**
 * Playwright fixtures: a fresh server per test (`test.use({ serverMode: 'dedicated' })` for a
 * dedicated auth host), a virtual authenticator on the default page, and more "devices"
 * (a browser context each, with its own authenticator) on demand.
 */
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { addVirtualAuthenticator, type VirtualAuthenticator } from './authenticator.js';
import { startServer, type RunningServer, type ServerMode, type ServerOptions } from './server.js';

/** Another browser with its own passkey store: a second laptop or a phone. */
export interface Device {
  context: BrowserContext;
  page: Page;
  authenticator: VirtualAuthenticator;
}

interface Fixtures {
  serverMode: ServerMode;
  /** Flags changed for this test's server (none by default); see {@link ServerOptions}. */
  serverOptions: ServerOptions;
  server: RunningServer;
  /** The virtual authenticator of the default `page`. */
  authenticator: VirtualAuthenticator;
  /** Opens another device; closed after the test. */
  newDevice: () => Promise<Device>;
}

export const test = base.extend<Fixtures>({
  serverMode: ['multi-host', { option: true }],
  serverOptions: [{}, { option: true }],

  server: async ({ serverMode, serverOptions }, use, testInfo) => {
    const server = await startServer(serverMode, serverOptions);
    try {
      await use(server);
    } finally {
      await server.stop();
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('server output', { body: server.output(), contentType: 'text/plain' });
      }
    }
  },

  authenticator: async ({ page }, use) => {
    await use(await addVirtualAuthenticator(page));
  },

  newDevice: async ({ browser, colorScheme, viewport }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async () => {
      const context = await browser.newContext({ colorScheme, viewport });
      contexts.push(context);
      const page = await context.newPage();
      return { context, page, authenticator: await addVirtualAuthenticator(page) };
    });
    for (const context of contexts) await context.close();
  },
});

export { expect };
