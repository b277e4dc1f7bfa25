import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { Task } from '../../shared/task';
import { addUser, createPod, createProject, importTasks } from '../../server/db/admin';
import { sampleForQa } from '../../server/quality/sample';
import { updateQualitySettings } from '../../server/quality/settings';
import { callApi } from './api';
import { CentralServer } from './central-server';
import { type BrowserHost, startHost, stopHost } from './host';
import { expectTaskReady, seriousViolations, signInByKeyboard } from './pages';

/**
 * Blind QA re-rating, the lead's side, keyboard only: a reviewer's labels are sampled; the lead
 * leases QA work, re-rates a task with nothing of the original on the page, then sees the
 * comparison (the reviewer named now) and classifies a discrepancy, which the server stores.
 */

const LEAD = { username: 'lee', password: 'lead battery staple horse' };
/** the original reviewer: their name and rationale must not be on the page before the re-rating */
const ORIGINAL = { username: 'qx7origuser', password: 'reviewer battery staple horse' };
const ORIGINAL_NAME = 'Qx7 Original Reviewer';
const SENTINEL = 'Qx7ORIGINALRATIONALE';
const shots = process.env.QA_SHOTS;

const tasks: Task[] = ['q1', 'q2', 'q3', 'q4'].map((id) => ({
  id,
  kind: 'ranking',
  prompt: `Which answer explains the tides best (${id})?`,
  responses: [
    { id: 'moon', text: `The Moon's gravity pulls the oceans (${id}).` },
    { id: 'wind', text: `Wind pushes the water ashore (${id}).` },
    { id: 'both', text: `Mostly the Moon, a little the Sun (${id}).` },
  ],
}));

let server: CentralServer;
let reviewerHost: BrowserHost | null = null;
let leadHost: BrowserHost | null = null;
let dir: string;
test.beforeEach(async () => {
  server = new CentralServer();
  await server.seed(async (db) => {
    await createPod(db, { id: 'pod-q' });
    const leadId = await addUser(db, { ...LEAD, role: 'lead', podId: 'pod-q' });
    await db.updateTable('pods').set({ lead_user_id: leadId }).where('id', '=', 'pod-q').execute();
    await addUser(db, { ...ORIGINAL, role: 'reviewer', podId: 'pod-q', displayName: ORIGINAL_NAME });
    await createProject(db, { id: 'tides', batchSize: 10 });
    await importTasks(db, 'tides', tasks);
    await updateQualitySettings(db, 'tides', { qa_share: 0.5, qa_seed: 'e2e' }, new Date());
  });
  dir = mkdtempSync(path.join(tmpdir(), 'rw-e2e-qa-'));
  reviewerHost = await startHost({ dataDir: path.join(dir, 'reviewer', 'data'), server: server.url });
  leadHost = await startHost({ dataDir: path.join(dir, 'lead', 'data'), server: server.url });
});
test.afterEach(async () => {
  for (const host of [reviewerHost, leadHost]) if (host) await stopHost(host);
  reviewerHost = leadHost = null;
  rmSync(dir, { recursive: true, force: true });
  await server.remove();
});

/** the original reviewer labels every task on their workstation, a sentinel in each rationale */
async function reviewerLabelsAll() {
  await callApi(reviewerHost!, 'auth.signIn', { serverUrl: server.url, ...ORIGINAL });
  await callApi(reviewerHost!, 'sync.now', {});
  for (const { id } of tasks) {
    const bundle = await callApi(reviewerHost!, 'task.open', { taskId: id });
    const ranks = Object.fromEntries(bundle.presentedOrder.map((r, i) => [r, i + 1]));
    const outcome = await callApi(reviewerHost!, 'label.submit', {
      taskId: id,
      work: { ranks, rankingTouched: true, activeMs: 20_000, rationale: { decisive: `${SENTINEL} ${id}` } },
    });
    expect(outcome.ok).toBe(true);
  }
  const status = await callApi(reviewerHost!, 'sync.now', {});
  expect(status.queued).toBe(0);
}

/** nothing of the original on the page: its rationale, the reviewer's name */
async function expectBlind(page: Page) {
  const html = await page.content();
  expect(html).not.toContain(SENTINEL);
  expect(html).not.toContain(ORIGINAL.username);
  expect(html).not.toContain(ORIGINAL_NAME);
}

test('a lead re-rates a sampled task blind, sees the comparison and classifies a discrepancy', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await reviewerLabelsAll();
  const run = await sampleForQa(server.db.db, 'tides', { share: 0.5, seed: 'e2e', now: new Date() });
  expect(run.sampled).toBe(2);

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(leadHost!.url);
  await signInByKeyboard(page, LEAD);
  await expect(page.getByTestId('sync-state')).toContainText('Online');

  // from the lead workspace (W) to the QA section (also U from anywhere); lease QA work (any project)
  await page.keyboard.press('w');
  await page.getByTestId('qa-entry').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'QA re-rating' })).toBeFocused();
  await page.keyboard.press('q');
  await page.keyboard.press('u');
  await expect(page.getByRole('heading', { name: 'QA re-rating' })).toBeFocused();
  await page.getByTestId('qa-lease').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('qa-status')).toContainText('2 tasks to re-rate leased');
  const list = page.getByTestId('qa-tasks');
  const first = list.getByRole('button', { name: /^Re-rate q/ }).first();
  const taskId = (await first.textContent())!.replace('Re-rate ', '');
  await expectBlind(page);
  expect(await seriousViolations(page)).toEqual([]);
  if (shots) await page.screenshot({ path: path.join(shots, 'qa-list.png') });

  // the same labeling screen, qa mode: no escalate or skip, nothing of the original
  await first.focus();
  await page.keyboard.press('Enter');
  await expectTaskReady(page, taskId);
  await expect(page.getByText('Blind QA re-rating', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: /Escalate/ })).toHaveCount(0);
  await expectBlind(page);
  // rank A, B, C in the order shown (J moves to the next response), then a rationale
  await page.keyboard.press('1');
  await page.keyboard.press('j');
  await page.keyboard.press('2');
  await page.keyboard.press('j');
  await page.keyboard.press('3');
  await page.keyboard.press('r');
  await page.keyboard.type('The tides follow the Moon; wind is a myth here.');
  await page.keyboard.press('Escape');
  await expectBlind(page);
  expect(await seriousViolations(page)).toEqual([]);
  if (shots) await page.screenshot({ path: path.join(shots, 'qa-task.png') });
  await page.keyboard.press('Control+Enter');
  const dialog = page.getByTestId('submit-dialog');
  if (await dialog.isVisible().catch(() => false)) await page.keyboard.press('Enter');

  // the comparison: the reviewer named now, the rationale discrepant with its control
  const comparison = page.getByTestId('qa-comparison');
  await expect(comparison).toBeVisible();
  await expect(page.getByTestId('qa-reviewer')).toContainText(ORIGINAL_NAME);
  const rationale = page.getByTestId('qa-part-rationale');
  await expect(rationale).toContainText('differs');
  await expect(rationale).toContainText(`${SENTINEL} ${taskId}`);
  await expect(rationale).toContainText('The tides follow the Moon');
  expect(await seriousViolations(page)).toEqual([]);

  // keyboard: reviewer error (first choice), its kind "weak rationale" (sixth), Ctrl+Enter
  await page.getByTestId('qa-class-rationale').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('qa-class-rationale')).toHaveValue('reviewer-error');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('qa-error-type-rationale')).toBeFocused();
  for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('qa-error-type-rationale')).toHaveValue('weak-rationale');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('qa-status')).toContainText(`Classification of ${taskId} stored`);
  await expect(page.getByTestId('qa-classified')).toContainText('Rationale: Reviewer error (weak rationale)');
  if (shots) await page.screenshot({ path: path.join(shots, 'qa-comparison.png'), fullPage: true });
  const stored = await server.db.db
    .selectFrom('qa_ratings')
    .select(['task_id', 'classification'])
    .where('task_id', '=', taskId)
    .executeTakeFirstOrThrow();
  expect(JSON.parse(stored.classification!).parts).toContainEqual({
    part: 'rationale',
    class: 'reviewer-error',
    errorType: 'weak-rationale',
  });

  // re-classified: the new class replaces the old
  await page.getByTestId('qa-class-rationale').focus();
  await page.keyboard.press('ArrowDown'); // guideline ambiguity
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('qa-classified')).toContainText('Rationale: Guideline ambiguity');
  const replaced = await server.db.db
    .selectFrom('qa_ratings')
    .select('classification')
    .where('task_id', '=', taskId)
    .executeTakeFirstOrThrow();
  expect(JSON.parse(replaced.classification!).parts).toContainEqual({
    part: 'rationale',
    class: 'guideline-ambiguity',
  });

  // back to the list: the task re-rated, the other still to do
  await page.getByRole('button', { name: 'Back to QA tasks' }).focus();
  await page.keyboard.press('Enter');
  await expect(list.getByRole('button', { name: `Compare ${taskId}` })).toBeVisible();
  await expect(list.getByRole('button', { name: /^Re-rate q/ })).toHaveCount(1);
});
