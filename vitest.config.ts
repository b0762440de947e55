import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Probes Chromium, PostgreSQL and Redis once; suites needing a missing one are skipped (CI=true: fail).
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    // Files of one worker share its module cache: the server's modules and PGlite are loaded once
    // per worker instead of once per file (about 4 s a file; 788 s -> 648 s for the whole suite on
    // this box, README "Tests"). Every suite builds its own app, database and Redis prefix,
    // so nothing a test relies on is shared but code and read-only caches.
    isolate: false,
  },
});
