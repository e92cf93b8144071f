// The chaos suite (`npm run test:chaos`): faults injected into a running stack — workers, Postgres, the Temporal
// dev server and the API killed and restarted, platform 429 storms and hung calls — each case checking that no work
// is lost or duplicated. Not part of `npm test` (files are *.chaos.ts, outside the unit and e2e globs); one file at
// a time, since the cases kill processes and measure recovery.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'chaos',
    include: ['test/chaos/**/*.chaos.ts'],
    environment: 'node',
    globalSetup: ['test/e2e/global-setup.ts', 'test/chaos/table.ts'],
    testTimeout: 900_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
  },
});
