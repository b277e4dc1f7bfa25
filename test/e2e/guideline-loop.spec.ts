import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Task } from '../../shared/task';
import { addUser, createPod, createProject, importTasks } from '../../server/db/admin';
import { CentralServer } from './central-server';
import { type BrowserHost, startHost, stopHost } from './host';
import { expectTaskReady, seriousViolations, signInOnline } from './pages';

/**
 * The guideline loop, keyboard only: a reviewer escalates; their lead drafts a change to one
 * section of the guideline from that escalation; an admin publishes it as a minor version; the
 * reviewer's next sync says "Guidelines updated to v1.1" with the changed section, which opens the
 * guidelines panel at that section.
 */

const LEAD = { username: 'lee', password: 'lead battery staple horse' };
const REVIEWER = { username: 'ria', password: 'reviewer battery staple horse' };
const ADMIN = { username: 'ady', password: 'admin battery staple horse' };
const shots = process.env.GUIDELINE_SHOTS;
const NEW_TEXT = 'If the passage and your own knowledge disagree, the passage wins: say so in the rationale.';

const tasks: Task[] = ['g1', 'g2'].map((id) => ({
  id,
  kind: 'ranking',
  prompt: `Which year does the passage in ${id} give?`,
  responses: [
    { id: 'passage', text: `The passage says 1912 (${id}).` },
    { id: 'memory', text: `From memory: 1913 (${id}).` },
  ],
}));

let server: CentralServer;
const hosts: BrowserHost[] = [];
let dir: string;
test.beforeEach(async () => {
  server = new CentralServer();
  await server.seed(async (db) => {
    await createPod(db, { id: 'pod-g' });
    const leadId = await addUser(db, { ...LEAD, role: 'lead', podId: 'pod-g' });
    await db.updateTable('pods').set({ lead_user_id: leadId }).where('id', '=', 'pod-g').execute();
    await addUser(db, { ...REVIEWER, role: 'reviewer', podId: 'pod-g' });
    await addUser(db, { ...ADMIN, role: 'admin' });
    await createProject(db, { id: 'years', batchSize: 10 });
    await importTasks(db, 'years', tasks);
  });
  dir = mkdtempSync(path.join(tmpdir(), 'rw-e2e-guideline-'));
  for (const who of ['reviewer', 'lead', 'admin'])
    hosts.push(await startHost({ dataDir: path.join(dir, who, 'data'), server: server.url }));
});
test.afterEach(async () => {
  for (const host of hosts.splice(0)) await stopHost(host);
  rmSync(dir, { recursive: true, force: true });
  await server.remove();
});

test('a lead drafts a guideline change from an escalation, an admin publishes it, the reviewer sees the changed section', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const [reviewerHost, leadHost, adminHost] = hosts;
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(reviewerHost!.url);
  await signInOnline(page, REVIEWER);
  await page.keyboard.press('Enter');
  await expectTaskReady(page, 'g1');
  await page.keyboard.press('e');
  await expect(page.getByTestId('escalate-dialog')).toBeVisible();
  await page.keyboard.press('1');
  await page.keyboard.press('Tab');
  await page.keyboard.type('The passage and my memory disagree on the year.');
  await page.keyboard.press('Control+Enter');
  await expectTaskReady(page, 'g2');
  await page.keyboard.press('y');
  await expect(page.getByTestId('sync-queued')).toHaveText('0 queued');
  // the task names its guideline version; the panel reads that version's text (once) and shows it
  const panel = page.getByTestId('guidelines-panel');
  await page.keyboard.press('g');
  await expect(panel).toContainText('v1');
  await expect(panel).not.toContainText('v1.1');
  await expect(panel).not.toContainText(NEW_TEXT);
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);

  // the lead: W, then "Draft a guideline change…" starts from the pod's escalation
  const leadContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const lead = await leadContext.newPage();
  await lead.goto(leadHost!.url);
  await signInOnline(lead, LEAD);
  await lead.keyboard.press('w');
  await expect(lead.getByTestId('lead-inbox')).toContainText('g1');
  const drafts = lead.getByTestId('guideline-drafts');
  await drafts.getByRole('button', { name: 'Draft a guideline change…' }).focus();
  await lead.keyboard.press('Enter');
  const dialog = lead.getByTestId('guideline-draft-dialog');
  await expect(dialog.getByLabel('From escalation or QA finding')).toBeFocused();
  await expect(dialog.getByLabel('From escalation or QA finding')).toContainText('g1');
  await expect(dialog.getByLabel(/Linked examples/)).toHaveValue('g1');
  // the section: "Outside knowledge" (the third heading: ArrowDown twice on the list)
  await lead.keyboard.press('Tab');
  await expect(dialog.getByLabel('Section', { exact: true })).toBeFocused();
  await lead.keyboard.press('ArrowDown');
  await lead.keyboard.press('ArrowDown');
  await expect(dialog.getByLabel('Section', { exact: true })).toHaveValue('Outside knowledge');
  await lead.keyboard.press('Tab');
  await expect(dialog.getByTestId('guideline-draft-body')).toBeFocused();
  await lead.keyboard.press('Control+a');
  await lead.keyboard.type(NEW_TEXT);
  await lead.keyboard.press('Tab');
  await lead.keyboard.type('Say which source wins when the passage and memory disagree.');
  if (shots) await lead.screenshot({ path: path.join(shots, 'guideline-draft.png') });
  expect(await seriousViolations(lead)).toEqual([]);
  await lead.keyboard.press('Control+Enter');
  await expect(dialog).toHaveCount(0);
  await expect(drafts.getByTestId('guideline-drafts-status')).toContainText('sent to an admin');
  await expect(drafts).toContainText('Outside knowledge (changed)');

  // from a ruling too: the button beside the escalation opens the same dialog on its task
  await lead.getByTestId('lead-inbox').getByRole('button', { name: 'Rule on g1' }).focus();
  await lead.keyboard.press('Enter');
  await expectTaskReady(lead, 'g1');
  const context = lead.getByTestId('ruling-context');
  await context.getByRole('button', { name: 'Draft a guideline change…' }).focus();
  await lead.keyboard.press('Enter');
  await expect(dialog.getByLabel(/Linked examples/)).toHaveValue('g1');
  await expect(dialog).toContainText('Judging long-form answers to factual questions, v1');
  if (shots) await lead.screenshot({ path: path.join(shots, 'guideline-draft-from-ruling.png') });
  expect(await seriousViolations(lead)).toEqual([]);
  await lead.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(context.getByRole('button', { name: 'Draft a guideline change…' })).toBeFocused();

  // the admin publishes it as a minor version
  const adminContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const admin = await adminContext.newPage();
  await admin.goto(adminHost!.url);
  await signInOnline(admin, ADMIN);
  await admin.keyboard.press('w');
  const adminDrafts = admin.getByTestId('guideline-drafts');
  await expect(adminDrafts).toContainText('Say which source wins');
  if (shots) await admin.screenshot({ path: path.join(shots, 'guideline-drafts-admin.png'), fullPage: true });
  expect(await seriousViolations(admin)).toEqual([]);
  await adminDrafts.getByRole('button', { name: 'Publish as minor version' }).focus();
  await admin.keyboard.press('Enter');
  await expect(adminDrafts.getByTestId('guideline-drafts-status')).toContainText('Published default v1.1');
  await expect(adminDrafts).toContainText('published as v1.1');

  // the reviewer's next sync: "Guidelines updated to v1.1", the changed section opens the panel there
  await page.keyboard.press('q');
  await page.keyboard.press('y');
  const updates = page.getByTestId('guideline-updates');
  await expect(updates).toContainText('Guidelines updated to v1.1');
  await expect(updates).toContainText('Outside knowledge');
  if (shots) await page.screenshot({ path: path.join(shots, 'guidelines-updated.png') });
  expect(await seriousViolations(page)).toEqual([]);
  await updates.getByRole('button', { name: 'Outside knowledge' }).focus();
  await page.keyboard.press('Enter');
  await expect(panel).toContainText('v1.1');
  await expect(panel.getByRole('heading', { name: 'Outside knowledge' })).toBeFocused();
  await expect(panel).toContainText(NEW_TEXT);
  if (shots) await page.screenshot({ path: path.join(shots, 'guidelines-updated-panel.png') });
  expect(await seriousViolations(page)).toEqual([]);
  // read: the notice goes
  await updates.getByRole('button', { name: 'Mark read' }).focus();
  await page.keyboard.press('Enter');
  await expect(updates).toHaveCount(0);
  // back on the task: its bundle names v1.1 now, and the panel shows that version, not the one read before
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await page.keyboard.press('Enter');
  await expectTaskReady(page, 'g2');
  await page.keyboard.press('g');
  await expect(panel).toContainText('v1.1');
  await expect(panel).toContainText(NEW_TEXT);

  const published = await server.db.db
    .selectFrom('guideline_drafts')
    .select(['state', 'published_version'])
    .executeTakeFirstOrThrow();
  expect(published).toEqual({ state: 'published', published_version: '1.1' });
  await leadContext.close();
  await adminContext.close();
});
