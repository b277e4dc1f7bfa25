import type { LaunchOptions } from '@playwright/test';

/** Debian's Chromium with the flags this closed network needs (see DESIGN.md). */
export const chromiumLaunchOptions = (): LaunchOptions => ({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
});
