import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { addUser, createProject, importTasks } from '../../server/db/admin';
import { orderWipe } from '../../server/db/device-wipe';
import type { Task } from '../../shared/task';
import { CentralServer } from './central-server';
import { type BrowserHost, startHost, stopHost } from './host';
import { expectTaskReady } from './pages';

const USER = { username: 'rita', password: 'correct horse battery' };
const SECRET = 'Confidential merger memo';
const TASKS: Task[] = Array.from({ length: 3 }, (_, i) => ({
  id: `srv-${i + 1}`,
  kind: 'ranking',
  prompt: `${SECRET} ${i + 1}: which summary is right?`,
  responses: [
    { id: 'a', text: `First summary ${i + 1}` },
    { id: 'b', text: `Second summary ${i + 1}` },
  ],
}));

let server: CentralServer;
let workstation: BrowserHost | null = null;
let dir: string | null = null;
test.beforeEach(async () => {
  server = new CentralServer();
  await server.seed(async (db) => {
    await createProject(db, { id: 'p1', batchSize: 10 });
    await addUser(db, { ...USER, role: 'reviewer' });
    await importTasks(db, 'p1', TASKS);
  });
});
test.afterEach(async () => {
  if (workstation) await stopHost(workstation);
  workstation = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
  await server.remove();
});

test('a wipe ordered while a task is open: the screen leaves it for the sign-in screen, which says in plain words what happened', async ({
  page,
}) => {
  dir = mkdtempSync(path.join(tmpdir(), 'rw-e2e-wipe-'));
  workstation = await startHost({ dataDir: path.join(dir, 'data'), server: server.url });
  await page.goto(workstation.url);
  await expect(page.getByRole('heading', { name: 'Sign in to sync' })).toBeVisible();
  await page.keyboard.type(USER.username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(USER.password);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('count-pending')).toHaveText('3');
  await page.getByTestId('start-button').focus();
  await page.keyboard.press('Enter');
  await expectTaskReady(page, 'srv-1');
  await expect(page.getByText(`${SECRET} 1`)).toBeVisible();

  // the laptop is reported lost: the operator orders the wipe (what `device wipe` does)
  const [device] = await server.db.db.selectFrom('devices').select('id').execute();
  await server.db.db.transaction().execute((trx) => orderWipe(trx, device!.id, new Date().toISOString()));

  await page.keyboard.press('y'); // any contact with the server: here "Sync now"
  await expect(page.getByRole('heading', { name: 'Sign in to sync' })).toBeVisible();
  await expect(page.locator('.signin-reason')).toContainText(
    /^On \d{4}-\d\d-\d\d \d\d:\d\d UTC your organisation's administrator had this computer wiped/,
  );
  await expect(page.locator('body')).not.toContainText(SECRET);
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('wiped.png') });

  const order = await server.db.db.selectFrom('device_wipes').selectAll().executeTakeFirstOrThrow();
  await expect
    .poll(
      async () =>
        (await server.db.db.selectFrom('device_wipes').select('wiped_at').executeTakeFirstOrThrow()).wiped_at,
    )
    .not.toBeNull();
  expect(order.device_id).toBe(device!.id);
});
