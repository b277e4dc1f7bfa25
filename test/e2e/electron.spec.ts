// The real Electron shell, end to end. Runs only where the Electron binary is installed;
// these machines install with ELECTRON_SKIP_BINARY_DOWNLOAD, so it says it was skipped.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
// @ts-expect-error plain .mjs script without type declarations
import { electronBinary, electronCanLoadSqlite } from '../../scripts/demo.mjs';

const SKIP_LINE =
  'SKIPPED: Electron binary not available (ELECTRON_SKIP_BINARY_DOWNLOAD); shell tested with a fake electron module';
const repo = path.resolve(import.meta.dirname, '../..');
const binary = (electronBinary as (env: NodeJS.ProcessEnv) => string | null)(process.env);

/** The page's globals as the renderer sees them (this project compiles tests without DOM types). */
interface PageGlobals {
  workstation: {
    queue: { summary(input: object): Promise<unknown> };
    task: { open(input: object): Promise<unknown> };
  };
  location: { href: string };
  open(url: string): unknown;
}

test('Electron shell: isolated renderer, one bridge, contract over IPC, navigation locked', async () => {
  if (!binary) {
    console.log(SKIP_LINE);
    test.skip(true, SKIP_LINE);
    return;
  }
  expect(
    (electronCanLoadSqlite as (binary: string) => boolean)(binary),
    'better-sqlite3 must be built for Electron: run `npx electron-builder install-app-deps` first',
  ).toBe(true);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rw-electron-'));
  const tasks = path.join(dir, 'tasks.jsonl');
  writeFileSync(
    tasks,
    JSON.stringify({
      id: 'e2e-1',
      kind: 'pairwise',
      prompt: 'Pick one',
      responses: [
        { id: 'a', text: '[click me](https://example.com) <script>alert(1)</script>' },
        { id: 'b', text: 'plain' },
      ],
    }) + '\n',
  );
  const app = await electron.launch({
    executablePath: binary,
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), repo],
    env: {
      ...process.env,
      RLHF_WORKSTATION_DATA_DIR: path.join(dir, 'data'),
      RLHF_WORKSTATION_IMPORT: tasks,
    },
  });
  try {
    const page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    expect(page.url()).toBe('app://renderer/index.html');

    const surface = await page.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      bridge: Object.keys((globalThis as unknown as { workstation: object }).workstation).sort(),
    }));
    expect(surface.require).toBe('undefined');
    expect(surface.process).toBe('undefined');
    expect(surface.bridge).toEqual(['app', 'draft', 'guideline', 'label', 'prefs', 'queue', 'task', 'tasks']);

    const summary = await page.evaluate(() =>
      (globalThis as unknown as PageGlobals).workstation.queue.summary({}),
    );
    expect(summary).toMatchObject({ total: 1 });

    const rejected = await page.evaluate(() =>
      (globalThis as unknown as PageGlobals).workstation.task
        .open({ taskId: '' })
        .catch((e: { body?: { code?: string } }) => e.body?.code),
    );
    expect(rejected).toBe('invalid-input');

    const opened = await page.evaluate(
      () => (globalThis as unknown as PageGlobals).open('https://example.com') ?? null,
    );
    expect(opened).toBeNull();
    await page.evaluate(() => {
      (globalThis as unknown as PageGlobals).location.href = 'https://example.com/';
    });
    expect(page.url()).toBe('app://renderer/index.html');
    expect(app.windows()).toHaveLength(1);
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
