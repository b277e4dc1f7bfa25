import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { addUser, createProject, importTasks } from '../../server/db/admin';
import type { ServerDb } from '../../server/db/connect';
import type { Task } from '../../shared/task';
import { CentralServer } from './central-server';
import { type BrowserHost, startHost, stopHost } from './host';
import { expectTaskReady, seriousViolations, signInOnline } from './pages';

/**
 * Reviewer wellbeing end to end (docs/wellbeing.md): the project's caps and break reminder come
 * from the server's project settings (set as an operator would, here through the same admin
 * helper the CLI uses); the reviewer reaches the daily cap offline and is told why, and the break
 * reminder shows after the project's (tiny, for the test) stretch of sensitive work.
 */
const USER = { username: 'rita', password: 'correct horse battery' };
const task = (id: string, sensitive: boolean): Task => ({
  id,
  kind: 'ranking',
  prompt: `Is answer ${id} appropriate?`,
  responses: [
    { id: 'a', text: `First answer ${id}` },
    { id: 'b', text: `Second answer ${id}` },
    { id: 'c', text: `Third answer ${id}` },
  ],
  ...(sensitive ? { sensitive: true } : {}),
});
const TASKS = [task('s1', true), task('s2', true), task('r1', false), task('s3', true)];
const SHOTS = process.env.WELLBEING_SHOTS ?? path.join(tmpdir(), 'rw-wellbeing-shots');

async function seed(db: ServerDb['db']) {
  // 0.05 minutes: the reminder after 3 seconds of sensitive work, so the test need not wait long
  await createProject(db, { id: 'p1', batchSize: 10, wellbeing: { perDay: 2, breakAfterMinutes: 0.05 } });
  await addUser(db, { ...USER, role: 'reviewer' });
  await importTasks(db, 'p1', TASKS);
}

/** Ranks the three responses in reverse presentation order with the keyboard (no submit). */
async function rank(page: Page) {
  for (let r = 3; r >= 1; r--) {
    await page.keyboard.press(String(r));
    if (r > 1) await page.keyboard.press('j');
  }
}

let server: CentralServer;
let workstation: BrowserHost | null = null;
let dir: string | null = null;
test.beforeEach(async () => {
  server = new CentralServer();
  await server.seed(seed);
});
test.afterEach(async () => {
  if (workstation) await stopHost(workstation);
  workstation = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
  await server.remove();
});

test('a reviewer gets a break reminder that keeps the work, then reaches the daily cap offline and is told why', async ({
  page,
}) => {
  dir = mkdtempSync(path.join(tmpdir(), 'rw-e2e-wellbeing-'));
  workstation = await startHost({ dataDir: path.join(dir, 'data'), server: server.url });
  await page.goto(workstation.url);
  await signInOnline(page, USER);
  await expect(page.getByTestId('count-pending')).toHaveText('4');
  await expect(page.getByTestId('exposure-notice')).toHaveCount(0);

  // offline from here: the counting and the caps need no server
  await server.stop();
  await page.getByTestId('start-button').focus();
  await page.keyboard.press('Enter');
  await expectTaskReady(page, 's1');
  await page.keyboard.press('v'); // reveal the responses
  await rank(page);

  // the reminder comes while the reviewer is on the sensitive task; it takes no focus
  const reminder = page.getByTestId('break-reminder');
  await expect(reminder).toBeVisible();
  await expect(reminder).toHaveAttribute('role', 'status');
  await expect(reminder).toContainText('Time for a short break?');
  await expect(reminder).toContainText('Your work on this task is saved');
  await page.screenshot({ path: path.join(SHOTS, 'break-reminder.png') });
  expect(await seriousViolations(page)).toEqual([]);

  // dismissed from the keyboard: Tab to its button, Enter
  await reminder.getByRole('button', { name: 'Dismiss' }).focus();
  await page.keyboard.press('Enter');
  await expect(reminder).toHaveCount(0);
  // after another stretch it comes back; Esc inside it dismisses it too
  await expect(reminder).toBeVisible();
  await reminder.getByRole('button', { name: 'Dismiss' }).focus();
  await page.keyboard.press('Escape');
  await expect(reminder).toHaveCount(0);

  // the ranking entered before the reminder is still there: submit it as it is
  await expect(page.getByTestId('task-screen')).toHaveAttribute('data-task-id', 's1');
  await page.keyboard.press('Control+Enter');
  await expectTaskReady(page, 's2');
  await page.keyboard.press('v');
  await rank(page);
  await page.keyboard.press('Control+Enter');

  // two sensitive tasks today: s3 waits, the ordinary task r1 comes next
  await expectTaskReady(page, 'r1');
  await rank(page);
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('heading', { name: 'All done' })).toBeVisible();
  const words =
    "You have reviewed 2 sensitive tasks today, your project's daily limit. Sensitive tasks come back tomorrow.";
  await expect(page.getByTestId('exposure-notice')).toContainText(words);
  await page.screenshot({ path: path.join(SHOTS, 'cap-all-done.png') });
  expect(await seriousViolations(page)).toEqual([]);

  // the queue screen says the same, beside the task still pending
  await page.keyboard.press('q');
  await expect(page.getByTestId('count-pending')).toHaveText('1');
  await expect(page.getByTestId('exposure-notice')).toContainText(words);
  await page.screenshot({ path: path.join(SHOTS, 'cap-queue.png') });
  expect(await seriousViolations(page)).toEqual([]);
});
