import { defineConfig } from '@playwright/test';
import { HOST_RESOLVER_RULES } from './e2e/support/hosts.js';

/**
 * Browser tests against the built service (`npm run build` first). Every test starts its own
 * server on a free port with a fresh database (see e2e/support/fixtures.ts), so tests share
 * nothing but the browser. One worker: the machine has two cores and the flows are long.
 */
export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/support/globalSetup.ts',
  outputDir: 'test-results',
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: 'list',
  use: {
    // Debian's Chromium: `npx playwright install` cannot download browsers here.
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // The dedicated-mode hosts resolve to the test server without touching DNS.
        `--host-resolver-rules=${HOST_RESOLVER_RULES}`,
      ],
    },
    actionTimeout: 10_000,
    navigationTimeout: 15_000,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
});
