import { expect, test } from '@playwright/test';
import { fixture, startHost, stopHost, type BrowserHost } from './host';
import { expectTaskReady, openQueue, seriousViolations } from './pages';

let host: BrowserHost;
test.beforeEach(async () => {
  host = await startHost({ importFile: fixture('e2e-tasks.jsonl') });
});
test.afterEach(async () => {
  await stopHost(host);
});

test('queue and task screens have no serious or critical axe violations', async ({ page }) => {
  await openQueue(page, host.url);
  expect(await seriousViolations(page)).toEqual([]);

  await page.keyboard.press('Enter');
  await expectTaskReady(page, 'rank-1');
  expect(await seriousViolations(page)).toEqual([]);

  await page.keyboard.press('l'); // stacked layout
  expect(await seriousViolations(page)).toEqual([]);

  await page.keyboard.press('Control+Enter'); // submit dialog with the untouched-order warning
  await expect(page.getByTestId('submit-dialog')).toBeVisible();
  await expect(page.getByTestId('check-untouchedOrder')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');

  await page.keyboard.press('?');
  await expect(page.getByTestId('shortcuts-dialog')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');

  await page.keyboard.press('g');
  await expect(page.getByTestId('guidelines-panel')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test('the Training area has no serious or critical axe violations, with nothing in it yet', async ({
  page,
}) => {
  await openQueue(page, host.url);
  await page.keyboard.press('c');
  await expect(page.getByTestId('training-screen')).toBeVisible();
  await expect(page.getByText('No training material yet')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Training', level: 1 })).toBeFocused();
  expect(await seriousViolations(page)).toEqual([]);
});

test('queue tabs are named by their state alone; the digit is announced as a key shortcut', async ({
  page,
}) => {
  await openQueue(page, host.url);
  const states = ['Pending', 'Drafts', 'Submitted', 'Escalated', 'Skipped'];
  for (const [i, name] of states.entries()) {
    // exact: the digit must not leak into the name ("Drafts 2" reads as two drafts)
    await expect(page.getByRole('tab', { name, exact: true })).toHaveAttribute(
      'aria-keyshortcuts',
      `${i + 1}`,
    );
  }
  await page.keyboard.press('2');
  const drafts = page.getByRole('tab', { name: 'Drafts', exact: true });
  await expect(drafts).toHaveAttribute('aria-selected', 'true');
  await expect(drafts).toBeFocused();
  expect(await seriousViolations(page)).toEqual([]);
});
