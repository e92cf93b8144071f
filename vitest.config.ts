import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: ['test/e2e/**', 'node_modules/**', '.mbo/**', '.tools/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // Two cores: one e2e file at a time keeps timings honest (tests measure retry delays).
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
