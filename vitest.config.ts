import { defineConfig } from 'vitest/config';

// One runner for unit, API and browser tests. Benchmarks live in test/bench and are run by
// `npm run bench`, never as tests: timings on these machines are too noisy to assert on.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
