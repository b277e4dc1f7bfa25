import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startHost, stopHost, type BrowserHost } from './host';
import { expectTaskReady } from './pages';

// Code blocks get their highlight.js grammar when they name it (issue 12): a chunk per language,
// loaded on demand, the block plain until then; the code stays text whatever it contains.
const kotlin = 'fun main() { val s = "<script>window.__pwned = 1</script>" }';
const html = '<img src=x onerror="window.__pwned = 2"><script>let y = 3;</script>';
const task = {
  id: 'code-1',
  kind: 'pairwise',
  prompt: 'Show a Kotlin main and an HTML snippet.',
  responses: [
    { id: 'k', text: `Kotlin:\n\n\`\`\`kotlin\n${kotlin}\n\`\`\`` },
    { id: 'h', text: `HTML:\n\n\`\`\`html\n${html}\n\`\`\`` },
  ],
};

let host: BrowserHost;
let work: string;
test.beforeEach(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'rw-code-'));
  const file = path.join(work, 'code.jsonl');
  writeFileSync(file, `${JSON.stringify(task)}\n`);
  host = await startHost({ importFile: file });
});
test.afterEach(async () => {
  await stopHost(host);
  rmSync(work, { recursive: true, force: true });
});

test('a code block in a rarely used language is highlighted once its grammar loads, its text inert', async ({
  page,
}) => {
  const scripts: string[] = [];
  page.on('request', (req) => {
    if (req.resourceType() === 'script') scripts.push(new URL(req.url()).pathname);
  });
  await page.goto(host.url);
  await expect(page.getByTestId('start-button')).toBeVisible();
  await page.keyboard.press('Enter');
  await expectTaskReady(page, 'code-1');

  const kotlinCode = page.locator('pre code.language-kotlin');
  await expect(kotlinCode).toHaveClass(/\bhljs\b/);
  await expect(kotlinCode.locator('.hljs-keyword').first()).toHaveText('fun');
  await expect(kotlinCode).toHaveText(kotlin);

  // HTML brings the JavaScript grammar it embeds: the <script> body is highlighted as code
  const htmlCode = page.locator('pre code.language-html');
  await expect(htmlCode.locator('.hljs-tag').first()).toBeVisible();
  await expect(htmlCode.locator('.hljs-keyword').filter({ hasText: 'let' })).toHaveCount(1);
  await expect(htmlCode).toHaveText(html);

  // every grammar came from a chunk of its own, fetched when the task needed it
  expect(scripts.some((s) => /\/kotlin-[\w-]+\.js$/.test(s))).toBe(true);
  expect(scripts.some((s) => /\/xml-[\w-]+\.js$/.test(s))).toBe(true);
  // the markup inside the code is text: no element came of it, nothing ran
  await expect(page.locator('main pre script, main pre img')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});
