import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { Task } from '../../shared/task';
import type { CourseDoc } from '../../shared/training/docs';
import { addUser, createPod, createProject, importTasks } from '../../server/db/admin';
import { importCourse } from '../../server/training/admin';
import { CentralServer } from './central-server';
import { type BrowserHost, startHost, stopHost } from './host';
import { expectTaskReady, seriousViolations, signInOnline } from './pages';

/**
 * The lead's screens end to end, keyboard only: an escalation made offline reaches the lead, who
 * rules and promotes it to a golden example; the reviewer gets the ruling and the example in the
 * guidelines panel; the lead restricts, lifts and coaches the reviewer, who reads it all on their
 * workstation; the admin reads these actions in the audit log screen.
 */

const LEAD = { username: 'lee', password: 'lead battery staple horse' };
const REVIEWER = { username: 'ria', password: 'reviewer battery staple horse' };
const ADMIN = { username: 'ada', password: 'admin battery staple horse' };
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

/** a course the lead can add the ruled task to (one module, one item of its own) */
const course: CourseDoc = {
  kind: 'course',
  id: 'padding-basics',
  title: 'Padding basics',
  version: '1',
  description: 'Trivia is not an answer.',
  modules: [
    {
      id: 'padding',
      title: 'Padding',
      lesson: 'Rank a padded answer below the grounded one.',
      items: [
        {
          task: { ...tasks[0]!, id: 'course-1' },
          key: {
            kind: 'ranking',
            ranks: { grounded: 1, padded: 2, invented: 3 },
            topMustMatch: true,
            minTau: 0.6,
            tags: [],
            explanation: 'Grounded and brief first.',
            responseNotes: {},
          },
        },
      ],
    },
  ],
};

let server: CentralServer;
const hosts: Record<'reviewer' | 'lead' | 'admin', BrowserHost | null> = {
  reviewer: null,
  lead: null,
  admin: null,
};
let dir: string;
test.beforeEach(async () => {
  server = new CentralServer();
  await server.seed(async (db) => {
    await createPod(db, { id: 'pod-r' });
    const leadId = await addUser(db, { ...LEAD, role: 'lead', podId: 'pod-r' });
    await db.updateTable('pods').set({ lead_user_id: leadId }).where('id', '=', 'pod-r').execute();
    await addUser(db, { ...REVIEWER, role: 'reviewer', podId: 'pod-r' });
    await addUser(db, { ...ADMIN, role: 'admin' });
    await createProject(db, { id: 'answers', batchSize: 10 });
    await importTasks(db, 'answers', tasks);
    await importCourse(db, course, new Date());
  });
  dir = mkdtempSync(path.join(tmpdir(), 'rw-e2e-lead-promote-'));
  for (const who of ['reviewer', 'lead', 'admin'] as const)
    hosts[who] = await startHost({ dataDir: path.join(dir, who, 'data'), server: server.url });
});
test.afterEach(async () => {
  for (const who of ['reviewer', 'lead', 'admin'] as const) {
    if (hosts[who]) await stopHost(hosts[who]);
    hosts[who] = null;
  }
  rmSync(dir, { recursive: true, force: true });
  await server.remove();
});

/** Focus by keyboard: Tab until the element has the focus (at most `max` presses). */
async function tabTo(page: Page, target: ReturnType<Page['getByTestId']>, max = 60) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('could not reach the element with Tab');
}

test('a ruling promoted to a golden example reaches the reviewer; restriction, lift and coaching; the admin audits them', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 800 });

  // the reviewer leases, loses the network, escalates q1 offline, and syncs once back online
  await page.goto(hosts.reviewer!.url);
  await signInOnline(page, REVIEWER);
  await expect(page.getByTestId('count-pending')).toHaveText('2');
  await server.stop();
  await page.keyboard.press('Enter');
  await expectTaskReady(page, 'q1');
  await page.keyboard.press('e');
  await expect(page.getByTestId('escalate-dialog')).toBeVisible();
  await page.keyboard.press('1');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Is three paragraphs of trivia padding? The guideline has no example.');
  await page.keyboard.press('Control+Enter');
  await expectTaskReady(page, 'q2');
  await page.keyboard.press('y');
  await expect(page.getByTestId('sync-state')).toHaveText('Offline');
  await server.start();
  await page.keyboard.press('y');
  await expect(page.getByTestId('sync-queued')).toHaveText('0 queued');

  // the lead: W, the escalation, a ruling with the labeling controls
  const leadContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const lead = await leadContext.newPage();
  await lead.goto(hosts.lead!.url);
  await signInOnline(lead, LEAD);
  await lead.keyboard.press('w');
  const inbox = lead.getByTestId('lead-inbox');
  await expect(inbox).toContainText('Is three paragraphs of trivia padding?');
  await tabTo(lead, inbox.getByRole('button', { name: 'Rule on q1' }));
  await lead.keyboard.press('Enter');
  await expectTaskReady(lead, 'q1');
  const shown = await lead
    .locator('[data-testid^="response-"][data-response-id]')
    .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-response-id')));
  let at = 0;
  for (const [i, id] of ['grounded', 'padded', 'invented'].entries()) {
    const index = shown.indexOf(id);
    for (; at < index; at++) await lead.keyboard.press('j');
    for (; at > index; at--) await lead.keyboard.press('k');
    await lead.keyboard.press(String(i + 1));
  }
  await tabTo(lead, lead.getByTestId('ruling-explanation'), 100);
  await lead.keyboard.type('Trivia beside the right answer is padding: rank it below the grounded answer.');
  await lead.keyboard.press('Control+Enter');
  const submitDialog = lead.getByTestId('submit-dialog');
  if (await submitDialog.isVisible().catch(() => false)) await lead.keyboard.press('Enter');
  const status = lead.getByTestId('lead-status');
  await expect(status).toContainText('Ruled on q1');

  // promote it in one step: the offer on the status line, golden example (1), Enter
  await tabTo(lead, lead.getByTestId('promote-offer'));
  await lead.keyboard.press('Enter');
  const promote = lead.getByTestId('promote-dialog');
  await expect(promote).toBeVisible();
  await expect(promote).toContainText('now v1: it becomes the next minor version');
  if (shots) await lead.screenshot({ path: path.join(shots, 'lead-promote-dialog.png') });
  expect(await seriousViolations(lead)).toEqual([]);
  await lead.keyboard.press('1');
  await lead.keyboard.press('Enter');
  await expect(promote).toHaveCount(0);
  await expect(status).toContainText(
    'Published as guideline "Judging long-form answers to factual questions" v1.1',
  );

  // the same again from the Ruled list: refused in plain words, nothing published twice
  await tabTo(lead, lead.getByTestId('lead-tab-ruled'));
  await lead.keyboard.press('Enter');
  const ruled = lead.getByTestId('lead-ruled');
  await expect(ruled).toContainText("lee's judgement is the label");
  if (shots) await lead.screenshot({ path: path.join(shots, 'lead-ruled.png') });
  await tabTo(lead, ruled.getByRole('button', { name: 'Promote q1' }));
  await lead.keyboard.press('Enter');
  await expect(promote).toBeVisible();
  await lead.keyboard.press('Enter');
  await expect(lead.getByTestId('promote-problem')).toHaveText(
    'This guideline already has an example called "Ruling on q1": give this one another title.',
  );
  await lead.keyboard.press('Escape');
  await expect(promote).toHaveCount(0);
  // and to the course (2): its next version holds the ruled task
  await tabTo(lead, ruled.getByRole('button', { name: 'Promote q1' }));
  await lead.keyboard.press('Enter');
  await lead.keyboard.press('2');
  await expect(promote.getByLabel('Course', { exact: true })).toHaveValue('padding-basics');
  await lead.keyboard.press('Enter');
  await expect(promote).toHaveCount(0);
  await expect(status).toHaveText('Added to the course "Padding basics", now version 2.');
  const published = await server.db.db
    .selectFrom('config_docs')
    .select(['version', 'body'])
    .where('kind', '=', 'guideline')
    .where('id', '=', 'default')
    .executeTakeFirstOrThrow();
  expect(published.version).toBe('1.1');

  // the reviewer, guidelines panel open (v1), syncs: the ruling, and the panel turns to v1.1 with
  // the golden example
  await page.keyboard.press('q');
  await page.keyboard.press('g');
  const panel = page.getByTestId('guidelines-panel');
  await expect(panel.getByRole('heading', { level: 2 })).toHaveText(/ v1$/);
  await page.keyboard.press('y');
  await expect(panel.getByRole('heading', { level: 2 })).toHaveText(/ v1\.1$/);
  const notices = page.getByTestId('lead-notices');
  await expect(notices).toContainText("lee ruled on it: their judgement is the task's label now.");
  await expect(panel).toContainText('Ruling on q1');
  await expect(panel).toContainText('Trivia beside the right answer is padding');
  // the panel's search reaches the example
  await page.keyboard.press('/');
  await page.keyboard.type('Ruling on q1');
  await expect(panel.getByRole('heading', { name: /Ruling on q1/ })).toBeVisible();
  if (shots) await page.screenshot({ path: path.join(shots, 'reviewer-golden-example.png') });
  await page.keyboard.press('Escape');
  await page.keyboard.press('g');

  // the lead's Reviewers view: restrict ria to sandbox work, lift it, leave a coaching note
  await tabTo(lead, lead.getByTestId('lead-tab-reviewers'));
  await lead.keyboard.press('Enter');
  const reviewers = lead.getByTestId('pod-reviewers');
  await expect(reviewers).toContainText('no action in force');
  await tabTo(lead, reviewers.getByRole('button', { name: 'ria' }));
  await lead.keyboard.press('Enter');
  const detail = lead.getByTestId('reviewer-detail');
  await expect(detail).toContainText('No actions on ria yet.');
  await tabTo(lead, detail.getByRole('button', { name: 'Restrict to sandbox only' }));
  await lead.keyboard.press('Enter');
  await expect(lead.getByTestId('restriction-status')).toContainText(
    'ria may take practice (sandbox) work only until you lift it.',
  );
  await expect(detail.getByTestId('action-restriction')).toContainText('active');
  await expect(reviewers).toContainText('restriction (active)');
  if (shots) await lead.screenshot({ path: path.join(shots, 'lead-reviewers.png'), fullPage: true });
  expect(await seriousViolations(lead)).toEqual([]);
  await tabTo(lead, detail.getByRole('button', { name: 'Lift restriction' }));
  await lead.keyboard.press('Enter');
  await expect(lead.getByTestId('lift-status')).toContainText('Restriction lifted');
  await expect(detail.getByTestId('action-restriction')).toContainText('lifted');
  await tabTo(lead, detail.getByLabel('Coaching note to ria'));
  await lead.keyboard.type('Good escalation on q1: the new golden example settles trivia.');
  await lead.keyboard.press('Tab');
  await lead.keyboard.press('Enter');
  await expect(detail.getByTestId('coach-status')).toContainText('Sent to ria');
  await expect(detail.getByTestId('action-coaching')).toContainText('active');

  // the reviewer's workstation: the restriction (lifted) and the coaching note, in plain words
  await page.keyboard.press('y');
  await expect(notices).toContainText('Good escalation on q1: the new golden example settles trivia.');
  await expect(notices).toContainText('lee lifted your restriction');
  const acknowledge = notices.getByRole('button', { name: 'Acknowledge' }).first();
  await tabTo(page, acknowledge);
  await page.keyboard.press('Enter');
  await page.keyboard.press('y');
  await expect
    .poll(async () => {
      const row = await server.db.db
        .selectFrom('reviewer_actions')
        .select('acknowledged_at')
        .where('kind', '=', 'coaching')
        .executeTakeFirstOrThrow();
      return row.acknowledged_at;
    })
    .not.toBeNull();
  // the lead sees it acknowledged once the Reviewers view reloads
  await tabTo(lead, lead.getByTestId('lead-tab-reviewers'));
  await lead.keyboard.press('Enter');
  // (ria's actions stay open across the reload)
  await expect(lead.getByTestId('action-coaching')).toContainText('acknowledged');
  if (shots) await lead.screenshot({ path: path.join(shots, 'lead-reviewer-actions.png'), fullPage: true });
  await leadContext.close();

  // the admin: H opens the audit log; the lead's actions are there, before/after on demand
  const adminContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const admin = await adminContext.newPage();
  await admin.goto(hosts.admin!.url);
  await signInOnline(admin, ADMIN);
  // an admin belongs to no pod: the workspace asks for one (no error), then every view shows it
  await admin.keyboard.press('w');
  await expect(admin.getByTestId('lead-pick-pod')).toBeVisible();
  await expect(admin.getByRole('alert')).toHaveCount(0);
  await tabTo(admin, admin.getByLabel('Pod', { exact: true }));
  await admin.keyboard.type('pod-r');
  await admin.keyboard.press('Enter');
  await expect(admin.getByTestId('lead-pick-pod')).toHaveCount(0);
  await expect(admin.getByText('No open escalations in your pod.')).toBeVisible();
  await tabTo(admin, admin.getByTestId('lead-tab-ruled'));
  await admin.keyboard.press('Enter');
  await expect(admin.getByRole('button', { name: /Promote/ }).first()).toBeVisible();
  await tabTo(admin, admin.getByTestId('lead-tab-reviewers'));
  await admin.keyboard.press('Enter');
  await expect(admin.getByTestId('pod-reviewers')).toContainText('coaching (acknowledged)');
  expect(await seriousViolations(admin)).toEqual([]);
  await admin.keyboard.press('h');
  const table = admin.getByTestId('audit-table');
  for (const [action, times] of [
    ['escalation.rule', 1],
    ['escalation.promote', 2],
    ['reviewer.restriction', 1],
    ['reviewer.restriction.lift', 1],
    ['reviewer.coaching', 1],
  ] as const)
    await expect(table.getByRole('rowheader', { name: action, exact: true })).toHaveCount(times);
  const promotions = table.locator('tr', {
    has: admin.getByRole('rowheader', { name: 'escalation.promote' }),
  });
  await expect(promotions.filter({ hasText: 'course padding-basics' })).toHaveCount(1);
  const promoteRow = promotions.filter({ hasText: 'golden-example default' });
  await expect(promoteRow).toContainText('lee (lead)');
  const restrictionRow = table.locator('tr', {
    has: admin.getByRole('rowheader', { name: 'reviewer.restriction', exact: true }),
  });
  await expect(restrictionRow).toContainText('user ria');
  await tabTo(admin, promoteRow.getByRole('button', { name: /Before\/after/ }), 120);
  await admin.keyboard.press('Enter');
  const diff = admin.getByTestId('audit-diff');
  await expect(diff).toContainText('"version": "1.1"');
  await expect(diff).toContainText('"taskId": "q1"');
  if (shots) await admin.screenshot({ path: path.join(shots, 'admin-audit.png'), fullPage: true });
  expect(await seriousViolations(admin)).toEqual([]);
  // pages of 50: older entries first, Next and Previous by keyboard (60 more entries written now)
  await server.db.db
    .insertInto('audit_log')
    .values(
      Array.from({ length: 60 }, (_, i) => ({
        at: new Date().toISOString(),
        actor_user_id: null,
        actor_role: 'operator',
        action: 'test.filler',
        target_type: 'test',
        target_id: String(i),
        before: null,
        after: null,
      })),
    )
    .execute();
  await tabTo(admin, admin.getByLabel('Since'));
  await admin.keyboard.press('Enter');
  const range = admin.getByTestId('audit-range');
  await expect(range).toHaveText('Page 1: entries 1 to 50, oldest first');
  await tabTo(admin, admin.getByRole('button', { name: 'Next 50' }));
  await admin.keyboard.press('Enter');
  await expect(range).toHaveText(/^Page 2: entries 51 to \d+, oldest first$/);
  await expect(table.getByRole('rowheader', { name: 'test.filler' }).first()).toBeVisible();
  await tabTo(admin, admin.getByRole('button', { name: 'Previous 50' }));
  await admin.keyboard.press('Enter');
  await expect(range).toHaveText('Page 1: entries 1 to 50, oldest first');
  // a since date after today: nothing
  await tabTo(admin, admin.getByLabel('Since'));
  await admin.keyboard.type('2099-01-01');
  await admin.keyboard.press('Enter');
  await expect(admin.getByTestId('audit-range')).toHaveText('No entries');
  await adminContext.close();
});
