import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: files run in parallel, but not so many that timing-sensitive socket tests starve.
    maxWorkers: 2,
    pool: 'forks',
  },
});
