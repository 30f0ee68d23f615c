import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    environment: 'node',
    // Property tests run thousands of schedules: generous on a shared, loaded machine; CI runs alone.
    testTimeout: 600_000,
  },
});
