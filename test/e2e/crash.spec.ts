import Database from 'better-sqlite3';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { callApi } from './api';
import { fixture, killHard, startHost, stopHost } from './host';
import { expectTaskReady, openQueue, presentedIds } from './pages';

test('kill -9 of browser mode with a draft open and a label just submitted loses neither', async ({
  page,
}) => {
  const first = await startHost({ importFile: fixture('e2e-tasks.jsonl') });
  await openQueue(page, first.url);
  await page.keyboard.press('Enter');
  await expectTaskReady(page, 'rank-1');
  const order = await presentedIds(page);
  for (let rank = 4; rank >= 1; rank--) {
    await page.keyboard.press(String(rank)); // A gets 4, B 3, ... (reverse order)
    if (rank > 1) await page.keyboard.press('j');
  }
  await page.keyboard.press('Control+Enter');
  await expectTaskReady(page, 'pair-1'); // the submit answered: the label is on disk

  // a draft in progress on the pairwise task, autosaved
  const pair = await presentedIds(page);
  await page.keyboard.press('a');
  await page.keyboard.press('3'); // slightly better
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');

  await killHard(first);

  // straight from the file, before anything reopens it
  const db = new Database(path.join(first.dataDir, 'workstation.db'), { readonly: true });
  const labels = db.prepare('SELECT task_id FROM labels').all() as { task_id: string }[];
  const drafts = db.prepare('SELECT task_id FROM drafts').all() as { task_id: string }[];
  db.close();
  expect(labels.map((l) => l.task_id)).toEqual(['rank-1']);
  expect(drafts.map((d) => d.task_id)).toEqual(['pair-1']);

  const second = await startHost({ dataDir: first.dataDir });
  try {
    await page.goto(second.url);
    await expectTaskReady(page, 'pair-1'); // reopens straight on the same task ...
    expect(await presentedIds(page)).toEqual(pair); // ... in the same order ...
    const resumed = await callApi(second, 'task.open', { taskId: 'pair-1' });
    expect(resumed.work!.pairwise).toEqual({ choice: 'A', strength: 'slightly' }); // ... with the same state
    await expect(page.getByRole('radio', { name: /slightly better/i })).toBeChecked();

    expect(await callApi(second, 'queue.summary', {})).toMatchObject({ submitted: 1, drafts: 1, pending: 1 });
    const submitted = await callApi(second, 'task.open', { taskId: 'rank-1' });
    expect(submitted.label!.ranks).toEqual(Object.fromEntries(order.map((id, i) => [id, 4 - i])));
  } finally {
    await stopHost(second);
  }
});
