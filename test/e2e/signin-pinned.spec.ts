import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { addUser, createProject, importTasks } from '../../server/db/admin';
import type { Task } from '../../shared/task';
import { callApi } from './api';
import { CentralServer } from './central-server';
import { type BrowserHost, startHost, stopHost } from './host';
import { seriousViolations, signInByKeyboard } from './pages';

const RITA = { username: 'rita', password: 'correct horse battery' };
const ROB = { username: 'rob', password: 'battery staple horse' };
const HTTPS_RULE =
  'Server address: must start with https:// (plain http:// only for this computer: localhost, 127.x.x.x or [::1])';
const TASKS: Task[] = [1, 2].map((i) => ({
  id: `pin-${i}`,
  kind: 'ranking',
  prompt: `Pinned prompt ${i}`,
  responses: [
    { id: 'a', text: `A ${i}` },
    { id: 'b', text: `B ${i}` },
  ],
}));

let server: CentralServer;
let workstation: BrowserHost | null = null;
let dir: string | null = null;
test.beforeEach(async () => {
  server = new CentralServer();
  await server.seed(async (db) => {
    await createProject(db, { id: 'p1', batchSize: 10 });
    await addUser(db, { ...RITA, role: 'reviewer' });
    await addUser(db, { ...ROB, role: 'reviewer' });
    await importTasks(db, 'p1', TASKS);
  });
  dir = mkdtempSync(path.join(tmpdir(), 'rw-e2e-pinned-'));
});
test.afterEach(async () => {
  if (workstation) await stopHost(workstation);
  workstation = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
  await server.remove();
});

/** Signs out from the status bar and opens the sign-in form again with Y (Sync now), by keyboard. */
async function signOutAndReopen(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Sign in again' })).toBeVisible();
  await page.locator('body').focus();
  await page.keyboard.press('y');
  await expect(page.getByRole('heading', { name: 'Sign in to sync' })).toBeVisible();
}

test('a server set by IT is shown read-only, no other is signed in to, and the next person gets an empty form', async ({
  page,
}) => {
  workstation = await startHost({ dataDir: path.join(dir!, 'data'), itConfig: { serverUrl: server.url } });
  await page.goto(workstation.url);

  // IT configured the server: the sign-in screen comes first, the address shown but not editable
  await expect(page.getByRole('heading', { name: 'Sign in to sync' })).toBeVisible();
  const address = page.getByLabel('Server address');
  await expect(address).toHaveValue(server.url);
  await expect(address).not.toBeEditable();
  await expect(address).toHaveAccessibleDescription('Set by your IT department.');
  await expect(page.getByLabel('Username')).toBeFocused();
  expect(await seriousViolations(page)).toEqual([]);

  // typing into it by keyboard changes nothing
  await page.keyboard.press('Shift+Tab');
  await expect(address).toBeFocused();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('https://elsewhere.example');
  await page.keyboard.press('Backspace');
  await expect(address).toHaveValue(server.url);
  await page.keyboard.press('Tab');

  await signInByKeyboard(page, RITA);
  await expect(page.getByTestId('sync-state')).toHaveText('Online');
  await expect(page.getByTestId('count-pending')).toHaveText('2');

  // the services refuse any other server whatever the screen sends, in plain words
  await expect(
    callApi(workstation, 'auth.signIn', { serverUrl: 'https://elsewhere.example', ...RITA }),
  ).rejects.toThrow(`This computer signs in only to ${server.url}, the server set by your IT department.`);

  // a shared laptop: after a sign-out the next person sees the IT server and no username
  await signOutAndReopen(page);
  await expect(address).toHaveValue(server.url);
  await expect(page.getByLabel('Username')).toHaveValue('');
  await signInByKeyboard(page, ROB);
  await expect(page.getByTestId('sync-state')).toHaveText('Online');
  expect((await callApi(workstation, 'auth.status', {})).user?.username).toBe(ROB.username);
});

test('without IT configuration, plain http to a network address is refused naming the field; loopback works', async ({
  page,
}) => {
  workstation = await startHost({ dataDir: path.join(dir!, 'data') });
  await page.goto(workstation.url);
  await expect(page.getByTestId('start-button')).toBeVisible();
  await page.keyboard.press('y'); // not signed in: Sync now opens the sign-in form
  await expect(page.getByRole('heading', { name: 'Sign in to sync' })).toBeVisible();
  const address = page.getByLabel('Server address');
  await expect(address).toBeFocused();
  await expect(address).toBeEditable();

  await page.keyboard.type('http://10.1.2.3:8787');
  await page.keyboard.press('Tab');
  await page.keyboard.type(RITA.username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(RITA.password);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('signin-error')).toHaveText(HTTPS_RULE);
  expect(await seriousViolations(page)).toEqual([]);

  // the focus is on the address: the reviewer corrects it (the demo's server on this computer)
  await expect(address).toBeFocused();
  await page.keyboard.press('Control+a');
  await page.keyboard.type(server.url);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.type(RITA.password);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('sync-state')).toHaveText('Online');

  // after a sign-out nothing of the last person is offered
  await signOutAndReopen(page);
  await expect(address).toHaveValue('');
  await expect(page.getByLabel('Username')).toHaveValue('');
  await expect(address).toBeFocused();
});
