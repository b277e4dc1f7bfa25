import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** The task screen is rendered and interactive for `taskId` (or any task). */
export async function expectTaskReady(page: Page, taskId?: string) {
  await expect(page.locator('[data-testid="task-screen"][data-ready="true"]')).toBeVisible();
  if (taskId) await expect(page.locator('body')).toHaveAttribute('data-task-id', taskId);
}

/** Response ids in presentation order (A, B, C, ...), read from the cards. */
export async function presentedIds(page: Page): Promise<string[]> {
  return page
    .locator('[data-testid^="response-"][data-response-id]')
    .evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.responseId!));
}

export async function openQueue(page: Page, url: string) {
  await page.goto(url);
  await expect(page.getByTestId('start-button')).toBeVisible();
}

/** The sign-in screen filled by keyboard: username, Tab, password, Enter (focus starts on Username). */
export async function signInByKeyboard(page: Page, user: { username: string; password: string }) {
  await expect(page.getByLabel('Username')).toBeFocused();
  await page.keyboard.type(user.username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(user.password);
  await page.keyboard.press('Enter');
}

/** Signs in by keyboard and waits until the status bar says Online (browser mode on the real server). */
export async function signInOnline(page: Page, user: { username: string; password: string }) {
  await signInByKeyboard(page, user);
  await expect(page.getByTestId('sync-state')).toContainText('Online');
}

/** axe-core's serious and critical violations on the page, one line each (expect `[]`). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
