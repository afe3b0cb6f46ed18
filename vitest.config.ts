import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'shared/**/*.test.ts', 'spa/**/*.test.ts', 'scripts/**/*.test.ts'],
    testTimeout: 20_000,
    // Starts a throw-away PostgreSQL when PASSKEY_AUTH_TEST_DB=postgres (server/testing/postgres.ts).
    globalSetup: ['server/testing/postgresGlobalSetup.ts'],
  },
});
