import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Integration files share one MariaDB and one Redis; run files one at a time so their timing is stable.
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 240_000,
    // Ink switches to final-frame-only output when CI is set (is-in-ci); tests need normal frames.
    env: { CI: 'false', LOG_LEVEL: 'silent' },
  },
});
