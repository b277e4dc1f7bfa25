import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Task } from '../../shared/task';
import { addUser, createPod, createProject, importTasks } from '../../server/db/admin';
import { callApi } from './api';
import { CentralServer } from './central-server';
import { type BrowserHost, startHost, stopHost } from './host';
import { expectTaskReady, seriousViolations, signInOnline } from './pages';

/**
 * The reviewer's side of the lead workspace: an escalation goes up with a sync, the lead (on their
 * own workstation) sends it back with a ruling and leaves a coaching note, and the reviewer reads
 * both, the ruling beside their own work on the task, keyboard only.
 */

const LEAD = { username: 'lee', password: 'lead battery staple horse' };
const REVIEWER = { username: 'ria', password: 'reviewer battery staple horse' };
const shots = process.env.LEAD_SHOTS;

const tasks: Task[] = ['q1', 'q2'].map((id) => ({
  id,
  kind: 'ranking',
  prompt: `Who wrote the passage in ${id}?`,
  responses: [
    { id: 'grounded', text: `The passage names its author (${id}).` },
    { id: 'invented', text: `A made-up author (${id}).` },
    { id: 'padded', text: `The right author and three paragraphs of trivia (${id}).` },
  ],
}));

let server: CentralServer;
let reviewerHost: BrowserHost | null = null;
let leadHost: BrowserHost | null = null;
let dir: string;
let reviewerId = '';
test.beforeEach(async () => {
  server = new CentralServer();
  await server.seed(async (db) => {
    await createPod(db, { id: 'pod-r' });
    const leadId = await addUser(db, { ...LEAD, role: 'lead', podId: 'pod-r' });
    await db.updateTable('pods').set({ lead_user_id: leadId }).where('id', '=', 'pod-r').execute();
    reviewerId = await addUser(db, { ...REVIEWER, role: 'reviewer', podId: 'pod-r' });
    await createProject(db, { id: 'answers', batchSize: 10 });
    await importTasks(db, 'answers', tasks);
  });
  dir = mkdtempSync(path.join(tmpdir(), 'rw-e2e-lead-'));
  reviewerHost = await startHost({ dataDir: path.join(dir, 'reviewer', 'data'), server: server.url });
  leadHost = await startHost({ dataDir: path.join(dir, 'lead', 'data'), server: server.url });
});
test.afterEach(async () => {
  for (const host of [reviewerHost, leadHost]) if (host) await stopHost(host);
  reviewerHost = leadHost = null;
  rmSync(dir, { recursive: true, force: true });
  await server.remove();
});

test('a ruling and a coaching note reach the reviewer, the ruling beside their work on the task', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(reviewerHost!.url);
  await signInOnline(page, REVIEWER);
  await expect(page.getByTestId('count-pending')).toHaveText('2');

  // the reviewer escalates the first task and syncs
  await page.keyboard.press('Enter');
  await expectTaskReady(page, 'q1');
  await page.keyboard.press('e');
  await expect(page.getByTestId('escalate-dialog')).toBeVisible();
  await page.keyboard.press('1');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Two answers name an author; the guideline says nothing about trivia.');
  await page.keyboard.press('Control+Enter');
  await expectTaskReady(page, 'q2');
  await page.keyboard.press('y');
  await expect(page.getByTestId('sync-queued')).toHaveText('0 queued');

  // the lead, on their workstation: the inbox holds it; they send it back and leave a note
  await callApi(leadHost!, 'auth.signIn', { serverUrl: server.url, ...LEAD });
  const inbox = await callApi(leadHost!, 'lead.inbox', {});
  expect(inbox.items.map((i) => [i.task.id, i.reviewer.username, i.note])).toEqual([
    ['q1', 'ria', 'Two answers name an author; the guideline says nothing about trivia.'],
  ]);
  await callApi(leadHost!, 'lead.rule', {
    escalationId: inbox.items[0]!.id,
    ruling: {
      decision: 'return',
      explanation: 'Trivia is **padding**: rank it below the grounded answer.',
      guidance: 'Rank the grounded answer first, then the padded one.',
    },
  });
  await callApi(leadHost!, 'lead.coach', {
    userId: reviewerId,
    coaching: { note: 'Good catch escalating q1. See section *Padding*.', taskIds: ['q1'] },
  });

  // the reviewer's next sync: both notices, unread; the task is back in the queue
  await page.keyboard.press('q');
  await page.keyboard.press('y');
  const notices = page.getByTestId('lead-notices');
  await expect(notices).toContainText('2 unread');
  await expect(notices).toContainText('lee sent it back to you: it is in your queue again.');
  await expect(notices.locator('strong', { hasText: 'padding' })).toBeVisible();
  await expect(notices).toContainText('Good catch escalating q1.');
  if (shots) await page.screenshot({ path: path.join(shots, 'lead-notices.png'), fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);

  // the coaching note acknowledged: it reaches the lead's server
  const acknowledge = notices.getByRole('button', { name: 'Acknowledge' });
  await acknowledge.focus();
  await page.keyboard.press('Enter');
  await expect(notices).toContainText('1 unread');
  await page.keyboard.press('y');
  await expect
    .poll(
      async () =>
        (
          await server.db.db
            .selectFrom('reviewer_actions')
            .select('acknowledged_at')
            .executeTakeFirstOrThrow()
        ).acknowledged_at,
    )
    .not.toBeNull();

  // the returned task, with the reviewer's work kept: the ruling beside it until read
  await expect(page.getByTestId('count-drafts')).toHaveText('1');
  await page.keyboard.press('2'); // the Drafts list
  const open = page.getByRole('tabpanel').getByRole('button', { name: /passage in q1/ });
  await open.focus();
  await page.keyboard.press('Enter');
  await expectTaskReady(page, 'q1');
  const note = page.getByTestId('ruling-note');
  await expect(note).toContainText('Rank the grounded answer first, then the padded one.');
  if (shots) await page.screenshot({ path: path.join(shots, 'ruling-note.png') });
  await note.getByRole('button', { name: 'Mark read' }).focus();
  await page.keyboard.press('Enter');
  await expect(note).toHaveCount(0);
});

test('a lead rules on an escalation with the labeling controls; the ruling becomes the label and reaches the reviewer', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(reviewerHost!.url);
  await signInOnline(page, REVIEWER);
  await page.keyboard.press('Enter');
  await expectTaskReady(page, 'q1');
  await page.keyboard.press('e');
  await page.keyboard.press('1');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Is trivia padding?');
  await page.keyboard.press('Control+Enter');
  await expectTaskReady(page, 'q2');
  await page.keyboard.press('y');
  await expect(page.getByTestId('sync-queued')).toHaveText('0 queued');

  // the lead's workstation: W opens the pod's escalations; the ruling uses the reviewer's controls
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const lead = await context.newPage();
  await lead.goto(leadHost!.url);
  await signInOnline(lead, LEAD);
  await lead.keyboard.press('w');
  const inbox = lead.getByTestId('lead-inbox');
  await expect(inbox).toContainText('Is trivia padding?');
  if (shots) await lead.screenshot({ path: path.join(shots, 'lead-inbox.png') });
  await inbox.getByRole('button', { name: 'Rule on q1' }).focus();
  await lead.keyboard.press('Enter');
  await expectTaskReady(lead, 'q1');
  await expect(lead.getByTestId('ruling-context')).toContainText('Escalated by ria');
  // best first: grounded, padded, invented (J / K to a response, its rank digit)
  const texts = await lead
    .locator('[data-testid^="response-"][data-response-id]')
    .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-response-id')));
  const bestFirst = ['grounded', 'padded', 'invented'];
  let at = 0;
  for (const [i, id] of bestFirst.entries()) {
    const index = texts.indexOf(id);
    for (; at < index; at++) await lead.keyboard.press('j');
    for (; at > index; at--) await lead.keyboard.press('k');
    await lead.keyboard.press(String(i + 1));
  }
  await lead.getByTestId('ruling-explanation').fill('Trivia is padding: the grounded answer is best.');
  if (shots) await lead.screenshot({ path: path.join(shots, 'lead-ruling.png') });
  await lead.getByTestId('ruling-explanation').press('Control+Enter');
  const dialog = lead.getByTestId('submit-dialog');
  if (await dialog.isVisible().catch(() => false)) await lead.keyboard.press('Enter');
  await expect(lead.getByTestId('lead-status')).toContainText('Ruled on q1');
  expect(await seriousViolations(lead)).toEqual([]);
  const label = await server.db.db
    .selectFrom('labels')
    .select(['task_id', 'body'])
    .where('task_id', '=', 'q1')
    .executeTakeFirstOrThrow();
  expect(JSON.parse(label.body).ranks).toEqual({ grounded: 1, padded: 2, invented: 3 });

  // the reviewer's next sync: the ruling, the lead's judgement in words
  await page.keyboard.press('q');
  await page.keyboard.press('y');
  const notices = page.getByTestId('lead-notices');
  await expect(notices).toContainText("lee ruled on it: their judgement is the task's label now.");
  await expect(notices).toContainText('Ranked, best first: 1. response "grounded"');
  await context.close();
});
