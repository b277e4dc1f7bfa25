import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { addUser, createProject, importTasks } from '../../server/db/admin';
import type { ServerDb } from '../../server/db/connect';
import { EXPORT_FORMATS, exportProject } from '../../server/export/export';
import type { Task } from '../../shared/task';
import { CentralServer } from './central-server';
import { type BrowserHost, startHost, stopHost } from './host';
import { expectTaskReady } from './pages';

const USER = { username: 'rita', password: 'correct horse battery' };
const TASKS: Task[] = Array.from({ length: 5 }, (_, i) => ({
  id: `srv-${i + 1}`,
  kind: 'ranking',
  prompt: `Which answer explains topic ${i + 1} best?`,
  responses: [
    { id: 'a', text: `First answer ${i + 1}` },
    { id: 'b', text: `Second answer ${i + 1}` },
    { id: 'c', text: `Third answer ${i + 1}` },
  ],
}));

/** The demo's project: one reviewer and five tasks. */
async function seedProject(db: ServerDb['db']) {
  await createProject(db, { id: 'p1', batchSize: 10 });
  await addUser(db, { ...USER, role: 'reviewer' });
  await importTasks(db, 'p1', TASKS);
}

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Ranks the three responses in reverse presentation order with the keyboard and submits. */
async function labelTask(page: Page, taskId: string) {
  await expectTaskReady(page, taskId);
  for (let rank = 3; rank >= 1; rank--) {
    await page.keyboard.press(String(rank));
    if (rank > 1) await page.keyboard.press('j');
  }
  await page.keyboard.press('Control+Enter');
}

let server: CentralServer;
let workstation: BrowserHost | null = null;
let dir: string | null = null;
test.beforeEach(async () => {
  server = new CentralServer();
  await server.seed(seedProject);
});
test.afterEach(async () => {
  if (workstation) await stopHost(workstation);
  workstation = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
  await server.remove();
});

/** Browser mode pointed at the server (IT configured it); the data folder's parent holds no config.json. */
async function startWorkstation(serverUrl: string): Promise<BrowserHost> {
  dir = mkdtempSync(path.join(tmpdir(), 'rw-e2e-sync-'));
  return startHost({ dataDir: path.join(dir, 'data'), server: serverUrl });
}

test('a reviewer signs in, labels a batch offline, reconnects, and the labels reach the server and every export', async ({
  page,
}) => {
  workstation = await startWorkstation(server.url);
  await page.goto(workstation.url);

  // IT configured the server: sign-in comes first, server prefilled, focus on the first empty field
  await expect(page.getByRole('heading', { name: 'Sign in to sync' })).toBeVisible();
  await expect(page.getByLabel('Server address')).toHaveValue(server.url);
  await expect(page.getByLabel('Username')).toBeFocused();

  // a wrong password is answered in plain words
  await page.keyboard.type(USER.username);
  await page.keyboard.press('Tab');
  await page.keyboard.type('wrong password');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('signin-error')).toHaveText('Wrong username or password.');
  expect(await seriousViolations(page)).toEqual([]);

  await expect(page.getByLabel('Password')).toBeFocused();
  await page.keyboard.type(USER.password);
  await page.keyboard.press('Enter');

  // the leased batch arrives
  await expect(page.getByTestId('count-pending')).toHaveText('5');
  await expect(page.getByTestId('sync-state')).toHaveText('Online');

  // the server goes away; labeling does not notice
  await server.stop();
  await page.getByTestId('start-button').focus();
  await page.keyboard.press('Enter');
  for (const task of TASKS) await labelTask(page, task.id);
  await expect(page.getByRole('heading', { name: 'All done' })).toBeVisible();

  await page.keyboard.press('y'); // Sync now: fails, offline, work kept
  await expect(page.getByTestId('sync-state')).toHaveText('Offline');
  await expect(page.getByTestId('sync-queued')).toHaveText('5 queued');
  await expect(page.getByTestId('sync-error')).toContainText(/cannot reach the server/i);
  expect(await seriousViolations(page)).toEqual([]);

  await server.start();
  await page.keyboard.press('y');
  await expect(page.getByTestId('sync-queued')).toHaveText('0 queued');
  await expect(page.getByTestId('sync-state')).toHaveText('Online');
  await expect(page.getByTestId('sync-error')).toHaveText('');

  // on the server, from its database: each task labelled once, by this reviewer
  const labels = await server.db.db
    .selectFrom('labels')
    .innerJoin('users', 'users.id', 'labels.user_id')
    .select(['labels.task_id', 'users.username'])
    .orderBy('labels.task_id')
    .execute();
  expect(labels).toEqual(TASKS.map((t) => ({ task_id: t.id, username: USER.username })));

  // and in every export format
  for (const format of EXPORT_FORMATS) {
    let text = '';
    const counts = await exportProject(
      server.db.db,
      'p1',
      { format, messages: false, margin: false },
      async (chunk) => {
        text += chunk;
      },
    );
    expect(counts.labels, format).toBe(5);
    const rows = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows.length, format).toBeGreaterThanOrEqual(5);
    for (const task of TASKS)
      expect(text, `${format} holds ${task.id}`).toContain(`topic ${task.id.slice(4)} best`);
  }
});

test('"Work offline without an account" skips sign-in and keeps the local queue', async ({ page }) => {
  workstation = await startWorkstation(server.url);
  await page.goto(workstation.url);
  await page.getByRole('button', { name: 'Work offline without an account' }).click();
  await expect(page.getByTestId('start-button')).toBeVisible();
  await expect(page.getByTestId('sync-state')).toHaveText('Working offline without an account');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
});
