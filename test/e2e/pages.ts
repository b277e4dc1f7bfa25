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
