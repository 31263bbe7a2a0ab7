import { configDefaults, defineConfig } from 'vitest/config';

const browser = 'test/**/*.browser.test.ts';
// Per project, not at the root: each project needs its own `provide` of the PGlite template, and a root entry
// would run once more for the root itself, building a template nobody reads.
const globalSetup = ['test/global-setup.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // 2 cores: more workers than cores only adds PGlite start-up contention.
    maxWorkers: 2,
    // Each worker imports the app's module graph once, not once per file: per-file isolation spent 227 s of a
    // 562 s PGlite run re-importing it (with this: 296 s; PostgreSQL 362 s → 201 s). The price is that a test
    // file must not leave module-level state behind: tests build their own app, database and servers, and the
    // one that changes process.env (test/helpers/build-web.ts) restores it.
    isolate: false,
    projects: [
      { extends: true, test: { name: 'service', globalSetup, include: ['src/**/*.test.ts', 'test/**/*.test.ts'], exclude: [...configDefaults.exclude, browser] } },
      // The browser tests measure the page as a person would get it (LCP under 1.5 s, time to first value): with a
      // second test file and its PGlite saturating the other core, they measured the test runner instead, and the
      // LCP budget failed under load. So they run after the rest, one file at a time.
      { extends: true, test: { name: 'browser', globalSetup, include: [browser], fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
