import type { Page } from '@playwright/test';

declare global {
  interface Window {
    __benchAt?: number;
    __benchDone?: number;
  }
}

/** Signs in by keyboard at `url` (browser mode pointed at the real server) and waits until online. */
export async function signInForBench(page: Page, url: string, user: { username: string; password: string }) {
  await page.goto(url);
  await page.getByLabel('Username').waitFor();
  await page.keyboard.type(user.username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(user.password);
  await page.keyboard.press('Enter');
  await page.getByTestId('sync-state').filter({ hasText: 'Online' }).waitFor();
}

/**
 * Presses `key` and resolves with the ms from its keydown to the frame after `count` elements
 * matching `selector` are in the DOM (in-page clocks: a MutationObserver, then the next frame).
 */
export async function timeKeyTo(page: Page, key: string, selector: string, count = 1): Promise<number> {
  // a string, not a function: tsx's keepNames helpers (__name) do not exist in the page
  await page.evaluate(`(() => {
    window.__benchAt = undefined;
    window.__benchDone = undefined;
    const onKey = (e) => {
      if (e.key !== ${JSON.stringify(key)}) return;
      window.__benchAt = performance.now();
      window.removeEventListener('keydown', onKey, true);
    };
    window.addEventListener('keydown', onKey, true);
    const observer = new MutationObserver(() => {
      if (document.querySelectorAll(${JSON.stringify(selector)}).length < ${count}) return;
      observer.disconnect();
      requestAnimationFrame(() => setTimeout(() => { window.__benchDone = performance.now(); }, 0));
    });
    observer.observe(document.body, { childList: true, subtree: true });
  })()`);
  await page.keyboard.press(key);
  await page.waitForFunction(() => window.__benchDone !== undefined, undefined, { timeout: 30_000 });
  return page.evaluate(() => window.__benchDone! - window.__benchAt!);
}
