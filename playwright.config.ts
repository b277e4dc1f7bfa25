import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './test/e2e/chromium';

/**
 * End-to-end tests drive Debian's Chromium against browser mode (`dist/web/web.mjs`),
 * which hosts the real services on a temp data dir. Each spec starts its own host
 * (see test/e2e/host.ts) so it can kill -9 and restart it.
 */
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  workers: process.env.CI ? 1 : 2,
  retries: 0,
  reporter: [['list']],
  use: {
    launchOptions: chromiumLaunchOptions(),
    viewport: { width: 1366, height: 768 },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
});
