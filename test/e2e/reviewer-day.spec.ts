import { expect, test } from '@playwright/test';
import { callApi } from './api';
import { fixture, startHost, stopHost, type BrowserHost } from './host';
import { expectTaskReady, openQueue, presentedIds } from './pages';

let host: BrowserHost;
test.beforeEach(async () => {
  host = await startHost({ importFile: fixture('e2e-tasks.jsonl') });
});
test.afterEach(async () => {
  await stopHost(host);
});

test('a ranking task and a pairwise task completed keyboard-only', async ({ page }) => {
  await openQueue(page, host.url);
  await expect(page.getByTestId('count-pending')).toContainText('3');
  await page.keyboard.press('Enter');
  await expectTaskReady(page, 'rank-1');

  // rank A..D as 1..4: the focused card starts at A, J moves to the next one
  const order = await presentedIds(page);
  expect(order).toHaveLength(4);
  for (let rank = 1; rank <= 4; rank++) {
    await page.keyboard.press(String(rank));
    if (rank < 4) await page.keyboard.press('j');
  }
  await page.keyboard.press('Control+Enter');
  await expectTaskReady(page, 'pair-1');

  const ranking = await callApi(host, 'task.open', { taskId: 'rank-1' });
  expect(ranking.state).toBe('submitted');
  expect(ranking.label!.ranks).toEqual(Object.fromEntries(order.map((id, i) => [id, i + 1])));
  expect(ranking.label!.presentedOrder).toEqual(order);
  expect(ranking.label!.orderSeed).toContain('rank-1');

  // pairwise: B is better, strength 2 = "better"
  const pair = await presentedIds(page);
  await page.keyboard.press('b');
  await page.keyboard.press('2');
  await page.keyboard.press('Control+Enter');
  await expectTaskReady(page, 'rank-2');

  const judged = await callApi(host, 'task.open', { taskId: 'pair-1' });
  expect(judged.label!.pairwise).toEqual({ choice: 'B', preferredResponseId: pair[1], strength: 'better' });

  const summary = await callApi(host, 'queue.summary', {});
  expect(summary).toMatchObject({ submitted: 2, pending: 1 });
});

test('failure tags with severity, rationale rules and submit checks', async ({ page }) => {
  await openQueue(page, host.url);
  await page.keyboard.press('Enter');
  await expectTaskReady(page, 'rank-1');
  const order = await presentedIds(page);

  // tag response A as a critical hallucination, then rank A first
  await page.keyboard.press('t');
  const picker = page.getByRole('dialog');
  await expect(picker).toBeVisible();
  await page.keyboard.press('h'); // toggle "Hallucination" by its key
  await page.keyboard.press('3'); // critical
  await page.keyboard.press('Enter');
  await expect(picker).toBeHidden();
  await expect(page.getByTestId('response-A')).toContainText(/hallucination/i);

  for (let rank = 1; rank <= 4; rank++) {
    await page.keyboard.press(String(rank));
    if (rank < 4) await page.keyboard.press('j');
  }
  await page.keyboard.press('Control+Enter');
  const dialog = page.getByTestId('submit-dialog');
  await expect(dialog).toBeVisible();
  // a critical tag requires a rationale (blocks) and the top response is critical (warns)
  await expect(dialog.getByTestId('check-rationaleMissing')).toBeVisible();
  await expect(dialog.getByTestId('check-topRankedCritical')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  await page.keyboard.press('r');
  await page.keyboard.type(
    'Response A invents a release date that the passages contradict, so it is unreliable.',
  );
  await page.keyboard.press('Control+Enter');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('check-rationaleMissing')).toHaveCount(0);
  await expect(dialog.getByTestId('check-topRankedCritical')).toBeVisible();
  await page.keyboard.press('Enter'); // submit anyway: the warning is acknowledged
  await expectTaskReady(page, 'pair-1');

  const stored = await callApi(host, 'task.open', { taskId: 'rank-1' });
  expect(stored.label!.tags).toEqual([
    { responseId: order[0], tagId: 'hallucination', severity: 'critical' },
  ]);
  expect(stored.label!.acknowledgedWarnings).toEqual(['topRankedCritical']);
  expect(stored.label!.rationale!.fields.decisive).toMatch(/invents a release date/);
});

test('escalate and skip keep the draft', async ({ page }) => {
  await openQueue(page, host.url);
  await page.keyboard.press('Enter');
  await expectTaskReady(page, 'rank-1');
  const order = await presentedIds(page);
  await page.keyboard.press('2'); // move A to rank 2: a draft in progress

  await page.keyboard.press('e');
  const escalate = page.getByTestId('escalate-dialog');
  await expect(escalate).toBeVisible();
  await page.keyboard.press('1'); // first reason: guideline gap
  await page.keyboard.press('Tab');
  await page.keyboard.type('Guidelines say nothing about release dates.');
  await page.keyboard.press('Control+Enter');
  await expectTaskReady(page, 'pair-1');

  await page.keyboard.press('a');
  await page.keyboard.press('s');
  const skip = page.getByTestId('skip-dialog');
  await expect(skip).toBeVisible();
  await page.keyboard.press('3'); // broken task
  await page.keyboard.press('Enter');
  await expectTaskReady(page, 'rank-2');

  const summary = await callApi(host, 'queue.summary', {});
  expect(summary).toMatchObject({ escalated: 1, skipped: 1, pending: 1 });
  const [escalated] = await callApi(host, 'queue.list', { state: 'escalated' });
  expect(escalated).toMatchObject({ taskId: 'rank-1', reason: 'guideline-gap' });
  const [skipped] = await callApi(host, 'queue.list', { state: 'skipped' });
  expect(skipped).toMatchObject({ taskId: 'pair-1', reason: 'broken-task' });

  // reopening keeps what was entered before escalating / skipping
  const rank1 = await callApi(host, 'task.open', { taskId: 'rank-1' });
  expect(rank1.work!.ranks[order[0]!]).toBe(2);
  expect(rank1.work!.rankingTouched).toBe(true);
  const pair1 = await callApi(host, 'task.open', { taskId: 'pair-1' });
  expect(pair1.work!.pairwise.choice).toBe('A');
});
