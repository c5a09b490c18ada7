// `npm run test:unit`: the pure tests of test/unit/ — our own code on made-up inputs, no LibreOffice,
// no poppler, no example build (no global setup) — for a fast loop while editing. `npm test` runs
// them too, with everything else (vitest.config.ts).
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

export default defineConfig({
  ...base,
  test: { ...base.test, include: ['test/unit/**/*.test.ts'], globalSetup: [], testTimeout: 30_000 },
});
