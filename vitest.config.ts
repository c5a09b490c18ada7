import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // most tests wait on child processes (the CLI, LibreOffice, poppler): more workers than cores overlap the waits
    maxWorkers: 4,
  },
});
