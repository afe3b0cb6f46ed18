import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'shared/**/*.test.ts', 'spa/**/*.test.ts', 'scripts/*.test.ts'],
    testTimeout: 20_000,
  },
});
