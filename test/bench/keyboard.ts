import type { Page } from '@playwright/test';

/** Ranks the responses A, B, … as 1, 2, … (keyboard only: the focused card starts at A). */
export async function rankAll(page: Page, count: number): Promise<void> {
  for (let rank = 1; rank <= count; rank++) {
    await page.keyboard.press(String(rank));
    if (rank < count) await page.keyboard.press('j');
  }
}
