import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), 'dist');

export default defineConfig({
  resolve: {
    // Tests import the modules they call from src/ (for the types) and run what `npm test` has just
    // compiled into dist/ (tsc -b), the code the CLI runs: nothing is compiled twice.
    alias: [{ find: /^(?:\.\.\/)+src\/(.*)$/, replacement: `${dist}/$1` }],
  },
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
