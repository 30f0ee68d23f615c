import { defineConfig, devices } from '@playwright/test';
import { chromiumLaunchOptions } from './tools/chromium';

/** PAGER_LAB_PORT lets several checkouts run their browser tests at once, each against its own build. */
const PORT = Number(process.env.PAGER_LAB_PORT ?? 4173);

/**
 * Browser tests run against the BUILT app (`vite build` first), served by
 * `vite preview`, in Debian's Chromium when it is installed.
 */
export default defineConfig({
  testDir: 'e2e',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: 2,
  // Generous for a shared 2-core machine: a web-first assertion passes as soon as it holds.
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: 'list',
  use: {
    baseURL: `http://localhost:${PORT}/`,
    trace: 'on-first-retry',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1600, height: 1000 },
        launchOptions: chromiumLaunchOptions(),
      },
    },
  ],
  webServer: {
    command: `npx vite preview --port ${PORT} --strictPort`,
    url: `http://localhost:${PORT}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
