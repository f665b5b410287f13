import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 240_000,
    hookTimeout: 240_000,
    // Ink switches to final-frame-only output when CI is set (is-in-ci); tests need normal frames.
    env: { CI: 'false', LOG_LEVEL: 'silent' },
    projects: [
      // Unit files touch no shared service: they run in parallel, one worker per core (vitest's
      // default leaves one core free, which on a 2-core machine is no parallelism: 112 s vs 72 s).
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx'], maxWorkers: availableParallelism() } },
      // Integration and e2e files share one MariaDB and one Redis: one file at a time, after the
      // unit files, so their timing is stable.
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/e2e/**/*.test.tsx'],
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
