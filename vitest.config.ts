import { defineConfig } from 'vitest/config';
import { libraryMeta } from './vite.config';

export default defineConfig({
  plugins: [libraryMeta()],
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    environment: 'node',
    // Property tests run thousands of schedules: generous on a shared, loaded machine; CI runs alone.
    testTimeout: 600_000,
  },
});
