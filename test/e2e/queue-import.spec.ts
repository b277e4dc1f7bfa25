import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { callApi } from './api';
import { fixture, startHost, stopHost, type BrowserHost } from './host';
import { expectTaskReady, openQueue } from './pages';

let host: BrowserHost;
test.beforeEach(async () => {
  host = await startHost();
});
test.afterEach(async () => {
  await stopHost(host);
});

test('importing from the queue screen: a bad file lists line and field and imports nothing', async ({
  page,
}) => {
  await openQueue(page, host.url);
  await expect(page.getByTestId('count-pending')).toContainText('0');

  await page.locator('#import-file').setInputFiles(fixture('bad-tasks.jsonl'));
  const errors = page.getByTestId('import-errors');
  await expect(errors).toBeVisible();
  await expect(errors).toContainText(/line 2/i);
  await expect(errors).toContainText('responses');
  await expect(errors).toContainText(/line 3/i);
  expect(await callApi(host, 'queue.summary', {})).toMatchObject({ total: 0 });

  await page.locator('#import-file').setInputFiles(fixture('e2e-tasks.jsonl'));
  await expect(page.getByTestId('count-pending')).toContainText('3');
  await page.locator('#import-file').setInputFiles(fixture('e2e-tasks.jsonl')); // again: no duplicates
  await expect(page.getByTestId('count-pending')).toContainText('3');
  expect(await callApi(host, 'queue.summary', {})).toMatchObject({ total: 3 });
});

test('a sensitive task keeps its responses blurred until revealed', async ({ page }) => {
  await callApi(host, 'tasks.import', {
    fileName: 'sensitive.jsonl',
    text: readFileSync(fixture('sensitive-task.jsonl'), 'utf8'),
  });
  await openQueue(page, host.url);
  await page.keyboard.press('Enter');
  await expectTaskReady(page, 'sens-1');
  await expect(page.getByTestId('sensitive-notice')).toBeVisible();
  const content = page.getByText('Disturbing content A (placeholder).');
  // blurred content is hidden from assistive tech and cannot take focus
  await expect(page.locator('[inert] >> text=Disturbing content A')).toHaveCount(1);
  await page.keyboard.press('v');
  await expect(page.getByTestId('sensitive-notice')).toBeHidden();
  await expect(content).toBeVisible();
  await expect(page.locator('[inert] >> text=Disturbing content A')).toHaveCount(0);
});
